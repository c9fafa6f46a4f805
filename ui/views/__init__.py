"""One view per role: clerk, fraud desk (review), admin; plus the login."""
