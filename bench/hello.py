"""The baseline for bench/storefront.py: the least a Flask app can do per request."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "hello"
