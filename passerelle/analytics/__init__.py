"""Staff analytics: the search log, and the dashboard built on it and on the catalogue."""
