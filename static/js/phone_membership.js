/* A membership started by phone (back office): staff key the caller's card into Stripe's Payment Element,
 * as on the phone order page. The browser turns the card into a payment method with Stripe; the shop's
 * server creates the subscription at the plan's price and says how the first payment went (JSON: paid,
 * requires_action, declined, pending). 3-D Secure is answered here, then confirmed by the server. */
(() => {
  'use strict';

  const form = document.querySelector('form[data-card-form]');
  if (!form || typeof Stripe === 'undefined' || !form.dataset.publishableKey || !document.getElementById('payment-element')) return;
  const show = (node, message) => { if (node) { node.textContent = message || ''; node.hidden = !message; } };
  const csrf = form.querySelector('input[name=csrf_token]').value;
  const button = form.querySelector('[data-pay-button]');
  const formError = document.getElementById('form-error');
  const paymentError = document.getElementById('payment-error');

  async function post(url, body) {
    const res = await fetch(url, {method: 'POST', body, headers: {Accept: 'application/json', 'X-CSRFToken': csrf}});
    try { return Object.assign({httpStatus: res.status}, await res.json()); } catch (_) {
      return {status: 'error', message: 'Something went wrong. Please try again.'};
    }
  }

  const stripe = Stripe(form.dataset.publishableKey);
  const elements = stripe.elements({mode: 'subscription', amount: parseInt(form.dataset.amount, 10) || 1995,
    currency: form.dataset.currency || 'usd', paymentMethodCreation: 'manual',
    appearance: {theme: 'stripe', variables: {colorPrimary: '#1f4e5f'}}});
  const paymentElement = elements.create('payment', {fields: {billingDetails: {email: 'never', name: 'never'}}});
  paymentElement.mount('#payment-element');
  const label = button.innerHTML;
  const busy = on => { button.disabled = on; if (on) button.textContent = 'Charging the card…'; else button.innerHTML = label; };

  // Enter in a card field starts the membership (as the button would).
  document.getElementById('payment-element').addEventListener('keydown', e => {
    if (e.key === 'Enter') { e.preventDefault(); form.requestSubmit(button); }
  });

  async function finish(data) {
    if (['paid', 'pending'].includes(data.status) && data.redirect) { window.location.assign(data.redirect); return true; }
    if (data.status === 'requires_action') {
      const {error, paymentIntent} = await stripe.handleNextAction({clientSecret: data.client_secret});
      const body = new FormData();
      body.set('csrf_token', csrf);
      body.set('membership_id', data.membership_id);
      body.set('payment_intent', (paymentIntent && paymentIntent.id) || (error && error.payment_intent && error.payment_intent.id) || '');
      return finish(await post(data.confirm_url, body));
    }
    if (data.status === 'declined') { show(paymentError, data.message); if (paymentElement.focus) paymentElement.focus(); return false; }
    const messages = Object.values(data.errors || {});
    show(formError, [data.message || 'Please check the form.', ...messages.filter(m => m !== data.message)].join(' '));
    formError.scrollIntoView({block: 'center'});
    return false;
  }

  form.addEventListener('submit', async e => {
    e.preventDefault();
    if (button.disabled) return; // a double press charges once
    show(formError, ''); show(paymentError, '');
    busy(true);
    try {
      const {error: submitError} = await elements.submit();
      if (submitError) { show(paymentError, submitError.message); busy(false); return; }
      const {error, paymentMethod} = await stripe.createPaymentMethod({elements,
        params: {billing_details: {email: form.dataset.email || undefined, name: form.dataset.name || undefined}}});
      if (error) { show(paymentError, error.message); busy(false); return; }
      form.querySelector('[name=payment_method_id]').value = paymentMethod.id;
      if (!(await finish(await post(form.action, new FormData(form))))) busy(false);
    } catch (err) {
      show(formError, 'We could not reach the shop. Check the connection and try again; the card has not been charged twice.');
      busy(false);
    }
  });
})();
