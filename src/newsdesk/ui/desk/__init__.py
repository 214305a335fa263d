"""The page you write on and its details: the text, the form, the panes around them."""
