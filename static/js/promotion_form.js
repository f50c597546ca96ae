/* Progressive enhancement for marketing's forms: show the fields of the chosen benefit, and add rows to
   a repeating table (its last row is copied with the next index). Without JavaScript everything shows. */
(function () {
  function sync() {
    var chosen = document.querySelector('input[name="benefit_kind"]:checked');
    document.querySelectorAll('.benefit[data-benefit]').forEach(function (box) {
      box.hidden = !!chosen && box.getAttribute('data-benefit') !== chosen.value;
    });
    var unlock = document.querySelector('input[name="unlock"]:checked');
    var code = document.querySelector('.promo-code-field');
    if (code && unlock) { code.hidden = unlock.value !== 'code'; }
    var applies = document.querySelector('input[name="applies_to"]:checked');
    var targets = document.querySelector('.targets');
    if (targets && applies) { targets.hidden = applies.value !== 'chosen'; }
  }
  document.querySelectorAll('input[name="benefit_kind"], input[name="unlock"], input[name="applies_to"]')
    .forEach(function (input) { input.addEventListener('change', sync); });
  sync();
  document.querySelectorAll('[data-add-row]').forEach(function (button) {
    var body = document.querySelector('#' + button.getAttribute('data-add-row') + ' tbody');
    if (!body) { return; }
    button.hidden = false;
    button.addEventListener('click', function () {
      var rows = body.querySelectorAll('tr');
      if (rows.length >= 20) { button.hidden = true; return; }
      var last = rows[rows.length - 1];
      var copy = last.cloneNode(true);
      var from = rows.length - 1, to = rows.length;
      copy.querySelectorAll('[name], [id], [for]').forEach(function (el) {
        ['name', 'id', 'for'].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) { el.setAttribute(attr, value.replace('-' + from + '-', '-' + to + '-')); }
        });
        if (el.tagName === 'SELECT') { el.selectedIndex = 0; }
        if (el.tagName === 'INPUT') { el.value = el.type === 'number' ? '1' : ''; }
        el.removeAttribute('aria-invalid');
      });
      copy.querySelectorAll('label').forEach(function (label) {
        label.textContent = label.textContent.replace(/\d+/, String(to + 1));
      });
      copy.querySelectorAll('.field-error').forEach(function (p) { p.remove(); });
      body.appendChild(copy);
      var select = copy.querySelector('select');
      if (select) { select.focus(); }
    });
  });
})();
