"""Assets of the sentiment analyzers (the Indonesian model and its licences)."""
