from achatsdesk.cli import main

raise SystemExit(main())
