/* Checkout: Stripe's Payment Element, "finalize payments on the server".
 * The browser turns the card into a payment method with Stripe; the shop's server prices the order,
 * creates and confirms the PaymentIntent for that exact amount, and says how it went. */
(() => {
  'use strict';
  const form = document.getElementById('checkout-form');
  if (!form || typeof Stripe === 'undefined') return;
  const button = document.getElementById('place-order');
  const formError = document.getElementById('form-error');
  const paymentError = document.getElementById('payment-error');
  const summary = () => document.getElementById('order-summary');
  const csrf = form.querySelector('input[name=csrf_token]').value;
  const stripe = Stripe(form.dataset.publishableKey);
  const amount = () => parseInt(summary().dataset.totalCents, 10);
  const elements = stripe.elements({mode: 'payment', amount: Math.max(amount(), 50), currency: summary().dataset.currency,
    paymentMethodCreation: 'manual', appearance: {theme: 'stripe', variables: {colorPrimary: '#1f4e5f'}}});
  const paymentElement = elements.create('payment', {fields: {billingDetails: {email: 'never', name: 'never'}}});
  paymentElement.mount('#payment-element');

  const show = (node, message) => { node.textContent = message || ''; node.hidden = !message; };
  const clearErrors = () => {
    show(formError, ''); show(paymentError, '');
    form.querySelectorAll('[aria-invalid=true]').forEach(i => i.removeAttribute('aria-invalid'));
    form.querySelectorAll('.field-error').forEach(p => show(p, ''));
  };
  const fieldErrors = errors => {
    let first = null;
    for (const [name, message] of Object.entries(errors || {})) {
      const input = form.querySelector(`[name="${name}"]`);
      const note = document.getElementById(`${name === 'payment' ? 'payment' : (input && input.id) || name}-error`);
      if (note) show(note, message);
      if (input && input.type !== 'hidden') { input.setAttribute('aria-invalid', 'true'); first = first || input; }
    }
    if (first) first.focus();
  };
  const busy = on => { button.disabled = on; button.textContent = on ? 'Placing your order…' : 'Place order'; };

  // Prices come from the server whenever the destination or method changes.
  async function refresh() {
    const params = new URLSearchParams();
    const country = form.querySelector('[name=ship_country]');
    const region = form.querySelector('[name=ship_region]');
    const method = form.querySelector('[name=shipping_method]:checked');
    if (country) params.set('country', country.value);
    if (region && region.value.trim()) params.set('region', region.value.trim());
    if (method) params.set('shipping', method.value);
    if (form.email && form.email.value.includes('@')) params.set('email', form.email.value.trim());
    const res = await fetch(`${form.dataset.summaryUrl}?${params}`, {headers: {Accept: 'application/json'}});
    if (!res.ok) return;
    const data = await res.json();
    document.getElementById('summary-container').innerHTML = data.summary_html;
    const options = document.getElementById('shipping-method-options');
    if (options) options.innerHTML = data.methods_html;
    elements.update({amount: Math.max(amount(), 50)});
  }
  form.addEventListener('change', e => {
    if (['ship_country', 'ship_region', 'shipping_method', 'email'].includes(e.target.name)) refresh();
  });

  // Promo codes (Apply, and Remove in the summary) are sent without leaving the page, so what the
  // customer typed stays; the summary then comes back from the server with the discounts.
  document.addEventListener('submit', async e => {
    const promo = e.target.closest && e.target.closest('form[data-promo]');
    if (!promo) return;
    e.preventDefault();
    const note = document.getElementById('promo_code-error');
    const status = document.getElementById('promo-status');
    const input = document.getElementById('promo-code');
    let data = {};
    let ok = false;
    try {
      const res = await fetch(promo.action, {method: 'POST', body: new FormData(promo),
        headers: {Accept: 'application/json', 'X-CSRFToken': csrf}});
      ok = res.ok;
      data = await res.json();
    } catch (_) { data = {message: 'We could not reach the shop. Please try again.'}; }
    if (ok) {
      show(note, '');
      if (input) { input.removeAttribute('aria-invalid'); if (promo.contains(input)) input.value = ''; }
      if (status) status.textContent = data.message || '';
      await refresh();
    } else {
      if (status) status.textContent = '';
      show(note, data.message || 'That code could not be applied.');
      if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
    }
  });

  async function post(url, body) {
    const res = await fetch(url, {method: 'POST', body, headers: {Accept: 'application/json', 'X-CSRFToken': csrf}});
    let data = {};
    try { data = await res.json(); } catch (_) { data = {status: 'error', message: 'Something went wrong. Please try again.'}; }
    return data;
  }

  async function finish(data) {
    if (data.status === 'paid' || data.status === 'pending') { window.location.assign(data.redirect); return true; }
    if (data.status === 'requires_action') {
      const {error, paymentIntent} = await stripe.handleNextAction({clientSecret: data.client_secret});
      const body = new FormData();
      body.set('csrf_token', csrf);
      body.set('payment_intent', (paymentIntent && paymentIntent.id) || (error && error.payment_intent && error.payment_intent.id) || data.client_secret.split('_secret')[0]);
      return finish(await post(data.confirm_url, body));
    }
    if (data.status === 'declined') { show(paymentError, data.message); paymentElement.focus && paymentElement.focus(); return false; }
    show(formError, data.message || 'Please check the form.');
    fieldErrors(data.errors);
    if (data.errors && data.errors.promo_code) refresh(); // a code or offer ran out: show the new total
    if (!data.errors || !Object.keys(data.errors).length) formError.focus && formError.scrollIntoView({block: 'center'});
    return false;
  }

  form.addEventListener('submit', async e => {
    e.preventDefault();
    if (button.disabled) return; // a double click places one order
    clearErrors();
    busy(true);
    try {
      if (amount() > 0) {
        const {error: submitError} = await elements.submit();
        if (submitError) { show(paymentError, submitError.message); busy(false); return; }
        const {error, paymentMethod} = await stripe.createPaymentMethod({elements,
          params: {billing_details: {email: form.email.value, name: form.full_name.value}}});
        if (error) { show(paymentError, error.message); busy(false); return; }
        form.payment_method_id.value = paymentMethod.id;
      }
      const done = await finish(await post(form.action, new FormData(form)));
      if (!done) busy(false);
    } catch (err) {
      show(formError, 'We could not reach the shop. Check your connection and try again; you have not been charged twice.');
      busy(false);
    }
  });
})();
