/* The membership's card forms (join, and a new card for a member): Stripe's Payment Element turns the
 * card into a payment method in the browser; the shop's server creates the subscription for the plan's
 * price and says how the first payment went. 3-D Secure is answered here, then confirmed by the server. */
(() => {
  'use strict';
  const form = document.getElementById('membership-form') || document.getElementById('card-form');
  if (!form || typeof Stripe === 'undefined') return;
  const button = form.querySelector('button[type=submit]');
  const label = button.textContent;
  const formError = document.getElementById('form-error');
  const paymentError = document.getElementById('payment-error');
  const csrf = form.querySelector('input[name=csrf_token]').value;
  const stripe = Stripe(form.dataset.publishableKey);
  const elements = stripe.elements({mode: 'subscription', amount: parseInt(form.dataset.amountCents, 10) || 1995,
    currency: form.dataset.currency || 'usd', paymentMethodCreation: 'manual',
    appearance: {theme: 'stripe', variables: {colorPrimary: '#1f4e5f'}}});
  const paymentElement = elements.create('payment', {fields: {billingDetails: {email: 'never', name: 'never'}}});
  paymentElement.mount('#payment-element');

  const show = (node, message) => { if (node) { node.textContent = message || ''; node.hidden = !message; } };
  const busy = on => { button.disabled = on; button.textContent = on ? 'Please wait…' : label; };
  const clearErrors = () => {
    show(formError, ''); show(paymentError, '');
    form.querySelectorAll('[aria-invalid=true]').forEach(i => i.removeAttribute('aria-invalid'));
    form.querySelectorAll('.field-error').forEach(p => show(p, ''));
  };
  const fieldErrors = errors => {
    let first = null;
    for (const [name, message] of Object.entries(errors || {})) {
      const input = form.querySelector(`[name="${name}"]`);
      const note = document.getElementById(`${name === 'payment' || name === 'payment_method_id' ? 'payment' : name}-error`);
      show(note, message);
      if (input && input.type !== 'hidden') { input.setAttribute('aria-invalid', 'true'); first = first || input; }
    }
    if (first) first.focus();
  };

  async function post(url, body) {
    const res = await fetch(url, {method: 'POST', body, headers: {Accept: 'application/json', 'X-CSRFToken': csrf}});
    try { return await res.json(); } catch (_) { return {status: 'error', message: 'Something went wrong. Please try again.'}; }
  }

  async function finish(data) {
    if (data.status === 'paid' || data.status === 'pending') { window.location.assign(data.redirect); return true; }
    if (data.status === 'requires_action') {
      await stripe.handleNextAction({clientSecret: data.client_secret});
      const body = new FormData();
      body.set('csrf_token', csrf);
      body.set('membership_id', data.membership_id);
      return finish(await post(data.confirm_url, body));
    }
    if (data.status === 'declined') { show(paymentError, data.message); if (paymentElement.focus) paymentElement.focus(); return false; }
    show(formError, data.message || 'Please check the form.');
    fieldErrors(data.errors);
    if (!data.errors || !Object.keys(data.errors).length) formError.focus();
    return false;
  }

  form.addEventListener('submit', async e => {
    e.preventDefault();
    if (button.disabled) return; // a double click joins once
    clearErrors();
    busy(true);
    try {
      const {error: submitError} = await elements.submit();
      if (submitError) { show(paymentError, submitError.message); busy(false); return; }
      const email = form.querySelector('[name=email]'), name = form.querySelector('[name=full_name]');
      const {error, paymentMethod} = await stripe.createPaymentMethod({elements,
        params: {billing_details: {email: email ? email.value : form.dataset.email, name: name ? name.value : form.dataset.name}}});
      if (error) { show(paymentError, error.message); busy(false); return; }
      form.querySelector('[name=payment_method_id]').value = paymentMethod.id;
      if (!await finish(await post(form.action, new FormData(form)))) busy(false);
    } catch (err) {
      show(formError, 'We could not reach the shop. Check your connection and try again; you have not been charged twice.');
      busy(false);
    }
  });
})();
