/* Live preview: a "Preview" button with data-preview-url fetches the sanitised HTML of its form's Markdown
   field (data-preview-field, description_md by default) instead of reloading the page. */
(function () {
  document.querySelectorAll('[data-preview-url]').forEach(function (button) {
    var target = document.getElementById('preview-body');
    if (!target || !window.fetch) return;
    button.addEventListener('click', function (event) {
      event.preventDefault();
      var form = button.form, data = new FormData();
      data.append('text', form.elements[button.getAttribute('data-preview-field') || 'description_md'].value);
      data.append('csrf_token', form.elements['csrf_token'].value);
      fetch(button.getAttribute('data-preview-url'), {method: 'POST', body: data, credentials: 'same-origin'})
        .then(function (response) { if (!response.ok) throw new Error(response.status); return response.text(); })
        .then(function (html) {
          target.innerHTML = html; /* sanitised by the server (nh3) */
          document.getElementById('preview').hidden = false;
        })
        .catch(function () { form.requestSubmit ? form.requestSubmit(button) : form.submit(); });
    });
  });
})();
