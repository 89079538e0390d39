"""achatsdesk: the public buyer's desk for social and environmental procurement."""

__version__ = "0.1.0"
APP_NAME = "achatsdesk"
APP_DISPLAY_NAME = "achatsdesk"
