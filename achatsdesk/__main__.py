from achatsdesk.app import main

raise SystemExit(main())
