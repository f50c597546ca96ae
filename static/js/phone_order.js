/* Phone orders (back office) and payment links (public).
 * 1. Shortcuts: Alt+<letter> focuses the element marked data-shortcut="<letter>" (a fieldset: its checked
 *    radio; a button: presses it). Enter searches, adds and applies: the forms do that by themselves.
 * 2. Live totals: changing the shipping method, country or state saves the order's details and shows the new total.
 * 3. Card payments with Stripe's Payment Element, "finalize on the server", as checkout.js does: the browser
 *    turns the card into a payment method with Stripe; the shop's server charges the order's total. */
(() => {
  'use strict';

  document.addEventListener('keydown', e => {
    if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const match = /^Key([A-Z])$/.exec(e.code);
    const target = match && document.querySelector(`[data-shortcut="${match[1].toLowerCase()}"]`);
    if (!target) return;
    e.preventDefault();
    const details = target.closest('details');
    if (details) details.open = true;
    if (target.tagName === 'FIELDSET') {
      const radio = target.querySelector('input:checked') || target.querySelector('input');
      if (radio) radio.focus();
    } else if (target.tagName === 'BUTTON') {
      target.focus();
      target.click();
    } else {
      target.focus();
      if (target.select) target.select();
    }
  });

  const form = document.querySelector('form[data-card-form]');
  if (!form) return;
  const show = (node, message) => { if (node) { node.textContent = message || ''; node.hidden = !message; } };
  const csrf = form.querySelector('input[name=csrf_token]').value;
  const summary = () => document.getElementById('order-summary');
  const amount = () => parseInt(summary().dataset.totalCents, 10);
  const button = form.querySelector('[data-pay-button]');
  const formError = document.getElementById('form-error');
  const paymentError = document.getElementById('payment-error');
  const method = () => { const r = form.querySelector('input[name=payment]:checked'); return r ? r.value : 'card'; };

  async function post(url, body) {
    const res = await fetch(url, {method: 'POST', body, headers: {Accept: 'application/json', 'X-CSRFToken': csrf}});
    try { return Object.assign({httpStatus: res.status}, await res.json()); } catch (_) {
      return {status: 'error', message: 'Something went wrong. Please try again.'};
    }
  }

  // The payment panel that matches the chosen way of paying.
  const panels = () => form.querySelectorAll('.pay-panel');
  const showPanel = () => panels().forEach(p => { p.hidden = p.dataset.method !== method(); });
  if (panels().length) {
    showPanel();
    form.addEventListener('change', e => { if (e.target.name === 'payment') showPanel(); });
  }

  let elements = null;
  let stripe = null;
  const setTotal = () => {
    const total = document.getElementById('order-total');
    if (total) document.querySelectorAll('#place-total, .live-total').forEach(node => { node.textContent = total.textContent; });
    if (elements) elements.update({amount: Math.max(amount(), 50)});
  };

  // Live totals on the phone order page. A submit while the details are being saved waits for the save.
  let saving = null;
  form.addEventListener('submit', e => {
    if (!saving) return;
    e.preventDefault();
    const submitter = e.submitter;
    const again = () => form.requestSubmit(submitter || undefined);
    saving.then(again, again);
  });
  form.addEventListener('change', async e => {
    if (!form.draft || !['shipping_method', 'ship_country', 'ship_region'].includes(e.target.name)) return;
    if (e.target.name === 'ship_country') { // another country, other shipping methods: show the page again
      const next = Object.assign(document.createElement('input'), {type: 'hidden', name: 'next_focus', value: 'ship_country'});
      form.append(next);
      form.submit();
      return;
    }
    const request = post(form.action, new FormData(form)).catch(() => ({message: 'The new total could not be loaded.'}));
    saving = request.finally(() => { saving = null; });
    const data = await request;
    if (data.summary_html) {
      document.getElementById('summary-container').innerHTML = data.summary_html;
      setTotal();
      show(formError, '');
    } else if (data.message) {
      show(formError, data.message);
    }
  });

  if (typeof Stripe === 'undefined' || !form.dataset.publishableKey || !document.getElementById('payment-element')) return;
  stripe = Stripe(form.dataset.publishableKey);
  elements = stripe.elements({mode: 'payment', amount: Math.max(amount(), 50), currency: summary().dataset.currency,
    paymentMethodCreation: 'manual', appearance: {theme: 'stripe', variables: {colorPrimary: '#1f4e5f'}}});
  const paymentElement = elements.create('payment', {fields: {billingDetails: {email: 'never', name: 'never'}}});
  paymentElement.mount('#payment-element');
  const label = button.innerHTML;
  const busy = on => { button.disabled = on; if (on) button.textContent = 'Charging the card…'; else button.innerHTML = label; };

  // Enter in a card field charges the card (it would otherwise press the form's first button).
  document.getElementById('payment-element').addEventListener('keydown', e => {
    if (e.key === 'Enter') { e.preventDefault(); form.requestSubmit(button); }
  });

  const fieldErrors = errors => {
    let first = null;
    for (const [name, message] of Object.entries(errors || {})) {
      if (name === 'payment') { show(paymentError, message); continue; }
      const input = form.querySelector(`[name="${name}"]`);
      const note = document.getElementById(`${(input && input.id) || name}-error`);
      show(note, message);
      if (input && input.type !== 'hidden') { input.setAttribute('aria-invalid', 'true'); first = first || input; }
    }
    if (first) first.focus();
  };

  async function finish(data) {
    if (['paid', 'pending', 'awaiting'].includes(data.status) && data.redirect) { window.location.assign(data.redirect); return true; }
    if (data.status === 'requires_action') {
      const {error, paymentIntent} = await stripe.handleNextAction({clientSecret: data.client_secret});
      const body = new FormData();
      body.set('csrf_token', csrf);
      if (form.draft) body.set('draft', form.draft.value);
      body.set('payment_intent', (paymentIntent && paymentIntent.id) || (error && error.payment_intent && error.payment_intent.id) || data.client_secret.split('_secret')[0]);
      return finish(await post(data.confirm_url, body));
    }
    if (data.status === 'declined') { show(paymentError, data.message); paymentElement.focus(); return false; }
    show(formError, data.message || 'Please check the form.');
    fieldErrors(data.errors);
    if (!data.errors || !Object.keys(data.errors).length) formError.scrollIntoView({block: 'center'});
    return false;
  }

  form.addEventListener('submit', async e => {
    if (e.defaultPrevented) return; // waiting for the details to be saved
    if (e.submitter !== button && e.submitter) return; // "Save and update the total": an ordinary post
    if (method() !== 'card' || amount() <= 0) return; // a check, a link or a free order: an ordinary post
    e.preventDefault();
    if (button.disabled) return; // a double press charges once
    show(formError, ''); show(paymentError, '');
    form.querySelectorAll('[aria-invalid=true]').forEach(i => i.removeAttribute('aria-invalid'));
    busy(true);
    try {
      const {error: submitError} = await elements.submit();
      if (submitError) { show(paymentError, submitError.message); busy(false); return; }
      const {error, paymentMethod} = await stripe.createPaymentMethod({elements,
        params: {billing_details: {email: form.dataset.email || undefined, name: form.dataset.name || undefined}}});
      if (error) { show(paymentError, error.message); busy(false); return; }
      form.payment_method_id.value = paymentMethod.id;
      if (!(await finish(await post(button.getAttribute('formaction') || form.action, new FormData(form))))) busy(false);
    } catch (err) {
      show(formError, 'We could not reach the shop. Check the connection and try again; the card has not been charged twice.');
      busy(false);
    }
  });
})();
