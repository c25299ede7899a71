"""One module per screen; each keeps its styles in a .tcss file next to it."""
