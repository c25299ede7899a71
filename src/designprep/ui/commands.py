"""Command palette provider: jump to any prompt by fuzzy name (ctrl+p)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from designprep.bank import Prompt

if TYPE_CHECKING:
    from designprep.ui.app import DesignPrepApp


def _help(prompt: Prompt) -> str:
    tags = ", ".join(prompt.tags)
    return f"{prompt.category} · {prompt.difficulty} · {prompt.time_limit_minutes} min" + (
        f" · {tags}" if tags else ""
    )


class PromptCommands(Provider):
    """Every prompt of the bank, as "Practise: <title>"."""

    @property
    def _app(self) -> DesignPrepApp:
        return cast("DesignPrepApp", self.app)

    def _prompts(self) -> list[Prompt]:
        return sorted(self._app.bank.prompts.values(), key=lambda p: p.title.lower())

    async def discover(self) -> Hits:
        for prompt in self._prompts():
            yield DiscoveryHit(
                f"Practise: {prompt.title}",
                partial(self._app.practise, prompt),
                help=_help(prompt),
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for prompt in self._prompts():
            text = f"Practise: {prompt.title}"
            score = max(
                matcher.match(text), matcher.match(f"{prompt.id} {' '.join(prompt.tags)}") * 0.8
            )
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(text),
                    partial(self._app.practise, prompt),
                    help=_help(prompt),
                )
