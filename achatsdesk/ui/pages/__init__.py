"""One page per section of the navigation rail."""
