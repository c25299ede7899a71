from designprep.cli.main import main

raise SystemExit(main())
