"""Information pages: about, contact, policies and the educational-use disclaimer."""
