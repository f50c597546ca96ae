"""Sales tax by destination: the rates admins keep per US state and Canadian province, read into the
pure rules shop.pricing applies."""
