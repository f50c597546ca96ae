"""Home-study courses: who may open which course."""
