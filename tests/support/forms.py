"""Posting forms in tests the way a browser does: fetch the page, take its CSRF token, post.

Pages are read with BeautifulSoup (the stdlib "html.parser" backend), never with regular expressions, so the
order of attributes, quoting and entities in the templates do not matter.
"""

from bs4 import BeautifulSoup


def soup(html):
    """A page parsed as a browser would, with the stdlib parser (no lxml needed)."""
    return html if isinstance(html, BeautifulSoup) else BeautifulSoup(html, "html.parser")


def main_of(html):
    """The page's <main id="main"> (the header has forms of its own), or the whole page when it has none."""
    page = soup(html)
    return page.find("main", id="main") or page


def inputs(html, name=None, *, within_main=False):
    """The <input> elements of a page (or of its <main>), optionally only those called `name`."""
    scope = main_of(html) if within_main else soup(html)
    return scope.find_all("input", attrs={"name": name} if name is not None else {})


def has_field(html, name):
    """Whether the page has a form field (input, select or textarea) called `name`."""
    return soup(html).find(["input", "select", "textarea"], attrs={"name": name}) is not None


def input_value(html, name):
    """The value of the first input called `name` on the page (AssertionError when there is none)."""
    found = soup(html).find("input", attrs={"name": name})
    if found is None:
        raise AssertionError(f"no input {name} on the page")
    return found.get("value", "")


def input_values(html):
    """Every input's value on the page, {name: [values in page order]}: to check what a form shows."""
    values = {}
    for tag in soup(html).find_all("input", attrs={"name": True}):
        values.setdefault(tag["name"], []).append(tag.get("value", ""))
    return values


def selected_values(html, name):
    """The values of the selected <option>s of every <select> called `name`, in page order."""
    return [option.get("value", option.get_text())
            for select in soup(html).find_all("select", attrs={"name": name})
            for option in select.find_all("option") if option.has_attr("selected")]


def csrf_token(html):
    """The first csrf_token hidden input's value in a page's <main> (the header has forms of its own)."""
    page = soup(html)
    main = page.find("main", id="main")
    tag = (main.find("input", attrs={"name": "csrf_token"}) if main is not None else None) or page.find(
        "input", attrs={"name": "csrf_token"})
    if tag is None:
        raise AssertionError("no csrf_token input on the page")
    return tag.get("value", "")


def find_form(html, class_=None):
    """The first <form> (with CSS class `class_` if given); AssertionError when there is none."""
    form = soup(html).find("form", class_=class_) if class_ else soup(html).find("form")
    if form is None:
        raise AssertionError(f"no form{f' .{class_}' if class_ else ''} on the page")
    return form


def form_values(form):
    """What a browser submits from `form` (a parsed <form>), {name: [values]}.

    Named inputs (checkboxes and radios only when checked; a checkbox without a value as "y"), the selected
    options of each select, and each textarea's text (newlines as a browser reads them, without the one it
    drops after <textarea>). Buttons and file inputs are left out.
    """
    values = {}
    for field in form.find_all(["input", "select", "textarea"], attrs={"name": True}):
        name = field["name"]
        if field.name == "input":
            kind = field.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                continue
            if kind in ("checkbox", "radio") and not field.has_attr("checked"):
                continue
            values.setdefault(name, []).append(field.get("value") or ("y" if kind == "checkbox" else ""))
        elif field.name == "select":
            for option in field.find_all("option"):
                if option.has_attr("selected"):
                    values.setdefault(name, []).append(option.get("value", option.get_text()))
        else:
            text = field.get_text().replace("\r\n", "\n").replace("\r", "\n")
            values.setdefault(name, []).append(text.removeprefix("\n"))
    return values


def labelled_ids(form):
    """(ids of the form's inputs, selects and textareas, ids that a <label for=...> names)."""
    ids = {field["id"] for field in form.find_all(["input", "select", "textarea"], id=True)}
    labelled = {label["for"] for label in form.find_all("label", attrs={"for": True})}
    return ids, labelled


def label_texts(html):
    """The text of every <label> on the page, whitespace collapsed."""
    return [" ".join(label.get_text().split()) for label in soup(html).find_all("label")]


def post_form(client, url, data=None, *, page=None, follow_redirects=False, **kwargs):
    """GET `page` (default: `url`), then POST `data` to `url` with that page's CSRF token."""
    response = client.get(page or url)
    assert response.status_code in (200, 400, 422), f"GET {page or url} answered {response.status_code}"
    fields = dict(data or {})
    fields["csrf_token"] = csrf_token(response.get_data(as_text=True))
    return client.post(url, data=fields, follow_redirects=follow_redirects, **kwargs)


def log_in(client, email, password, *, next_url=None, remember=False):
    url = "/account/login" + (f"?next={next_url}" if next_url else "")
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    return post_form(client, url, data)


def text(response):
    """A response's body as text."""
    return response.get_data(as_text=True)
