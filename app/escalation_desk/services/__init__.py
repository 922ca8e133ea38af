"""One module per capability; each user action is one call and one transaction."""
