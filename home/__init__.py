"""Each role's home page: what needs this person now, gathered from every capability's selectors."""
