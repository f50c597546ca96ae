/*!
 * stripe-standin.js: dev/test stand-in for the part of Stripe.js v3 the
 * checkout uses (Payment Element, "finalize payments on the server"), backed
 * by localstripe. Production loads https://js.stripe.com/v3/ instead.
 * Card data goes from the browser to localstripe only. The inputs have no
 * name attribute, so a surrounding <form> never posts them to the shop.
 *
 * API BASE: the data-api-base attribute of this <script> tag (real Stripe.js
 * ignores it). Default: http://127.0.0.1:8420.
 *   <script src=".../stripe-standin.js" data-api-base="http://127.0.0.1:8420">
 *
 * Implemented, with Stripe.js names and result shapes:
 *   Stripe(pk).elements({mode, amount, currency, appearance})
 *   elements: create('payment', opts), getElement, update, submit, fetchUpdates
 *   element: mount, unmount, destroy, on, off, focus, clear, update.
 *     Events: ready, focus, blur, change {elementType, empty, complete,
 *     collapsed, value:{type:'card'}} (no `error`, like the real Payment Element)
 *   elements.submit() -> {selectedPaymentMethod} | {error:{type:'validation_error', code, message}}
 *   stripe.createPaymentMethod({elements, params}) -> {paymentMethod} | {error}
 *   stripe.handleNextAction({clientSecret}) -> {paymentIntent} | {error}. 3DS
 *     is a modal <dialog> with "Complete authentication" / "Fail authentication".
 *   stripe.retrievePaymentIntent(clientSecret) -> {paymentIntent} | {error}
 * CSS classes: stripe-standin, __field(--number|expiry|cvc|postal), __label,
 *   __input, __error (role=alert); stripe-standin-3ds. The mount node gets
 *   StripeElement(--focus|--empty|--complete|--invalid). The built-in CSS uses
 *   :where() (zero specificity), so page rules win.
 *
 * localstripe 1.15.10 refuses publishable keys on POST /v1/payment_methods and
 * GET /v1/payment_intents/:id (401). After a 401 the card is tokenized
 * (POST /v1/tokens) and paymentMethod.id is the card_... id, which a
 * PaymentIntent accepts as payment_method. retrievePaymentIntent then returns
 * the PaymentIntent last seen by handleNextAction. localstripe only takes
 * 16-digit numbers and 3-digit CVCs.
 */
(() => {
  'use strict';
  const tag = document.currentScript || document.querySelector('script[data-api-base]');
  const API = ((tag && tag.dataset.apiBase) || 'http://127.0.0.1:8420').replace(/\/+$/, '');
  const C = 'stripe-standin', W = s => `:where(.${C}${s})`, E = 'StripeElement';
  const CSS = `${W('')}{display:grid;grid-template-columns:1fr 1fr;gap:.75rem;font-family:var(--ss-font,system-ui,sans-serif);color:var(--ss-text,#30313d)}
${W('__field--number')},${W('__field--postal')}{grid-column:1/-1}${W('__label')}{display:block;font-size:.875rem;margin-bottom:.25rem}
${W('__input')}{box-sizing:border-box;width:100%;padding:.6rem .75rem;font:inherit;color:inherit;background:var(--ss-bg,#fff);border:1px solid #d0d5dd;border-radius:var(--ss-radius,5px)}
${W('__input:focus')}{outline:2px solid var(--ss-primary,#0570de)}${W('__input[aria-invalid=true]')}{border-color:var(--ss-danger,#df1b41)}
${W('__error')}{color:var(--ss-danger,#df1b41);font-size:.8125rem;margin-top:.25rem}${W('-3ds')}{max-width:22rem;border-radius:8px}
${W('-3ds')}::backdrop{background:#0006}${W('-3ds button')}{margin:.25rem;padding:.5rem .9rem;font:inherit}`;
  let seq = 0;
  const IE = m => Object.assign(new Error(m), {name: 'IntegrationError'}); // thrown, as Stripe.js does
  const el = (t, cls, at) => {
    const e = document.createElement(t);
    e.className = cls;
    for (const k in at) e.setAttribute(k, at[k]);
    return e;
  };
  const css = () => document.getElementById(C + '-css') ||
    document.head.prepend(Object.assign(el('style', '', {id: C + '-css'}), {textContent: CSS}));
  // Stripe-style form encoding: card[number]=...
  const enc = (o, pre, out = []) => {
    for (const [k, v] of Object.entries(o)) {
      const key = pre ? `${pre}[${k}]` : k;
      if (v != null && v !== '') typeof v === 'object' ? enc(v, key, out) : out.push(encodeURIComponent(key) + '=' + encodeURIComponent(v));
    }
    return out;
  };
  // Form POST and plain GET are CORS "simple" requests: localstripe answers no
  // preflight. Resolves {status, body}; status 0 = no connection. With `tag`,
  // an endpoint that refused the publishable key (401) is not asked again.
  const no401 = {};
  const api = async (method, path, data, tag) => {
    if (no401[tag]) return {status: 401, body: {}};
    const q = enc(data).join('&'), get = method === 'GET';
    try {
      const res = await fetch(API + path + (get ? '?' + q : ''), get ? {} :
        {method, body: q, headers: {'Content-Type': 'application/x-www-form-urlencoded'}});
      const body = await res.json().catch(() => ({}));
      if (res.status === 402 && body.error) body.error.type = 'card_error'; // localstripe says invalid_request_error
      if (res.status === 401 && tag) no401[tag] = 1;
      return {status: res.status, body};
    } catch (e) {
      return {status: 0, body: {error: {type: 'api_connection_error', message: 'An error occurred with our connection to Stripe.'}}};
    }
  };
  const fail = r => ({error: r.body.error || {type: 'api_error', message: 'HTTP ' + r.status}});

  const digits = s => s.replace(/\D/g, '');
  const amex = n => /^3[47]/.test(digits(n));
  const luhn = n => [...n].reverse().reduce((s, c, i) => s + (i % 2 ? [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][c] : +c), 0) % 10 === 0;
  // [name, label, autocomplete, placeholder, formatter]
  const FIELDS = [
    ['number', 'Card number', 'cc-number', '1234 1234 1234 1234', v => digits(v).slice(0, 16).replace(/(\d{4})(?=\d)/g, '$1 ')],
    ['expiry', 'Expiration (MM / YY)', 'cc-exp', 'MM / YY', v => (v = digits(v).slice(0, 4)).length > 2 ? v.slice(0, 2) + ' / ' + v.slice(2) : v],
    ['cvc', 'CVC', 'cc-csc', 'CVC', v => digits(v).slice(0, 4)],
    ['postal', 'ZIP', 'postal-code', '12345', v => v.slice(0, 10)],
  ];
  // -> [code, message] in Stripe's wording, or undefined when valid.
  const check = (name, v, number) => {
    const d = digits(v), n = amex(number) ? 4 : 3, z = v.trim(), now = new Date(), cy = now.getFullYear();
    const m = +d.slice(0, 2), y = 2000 + +d.slice(2);
    const rules = {
      number: [[d.length < (amex(d) ? 15 : 16), 'incomplete_number', 'Your card number is incomplete.'],
        [!luhn(d), 'invalid_number', 'Your card number is invalid.']],
      expiry: [[d.length < 4, 'incomplete_expiry', "Your card's expiration date is incomplete."],
        [m < 1 || m > 12, 'invalid_expiry_month', "Your card's expiration date is invalid."],
        [y < cy, 'invalid_expiry_year_past', "Your card's expiration year is in the past."],
        [y === cy && m <= now.getMonth(), 'invalid_expiry_month_past', "Your card's expiration date is in the past."],
        [y > cy + 50, 'invalid_expiry_year', "Your card's expiration year is invalid."]],
      cvc: [[d.length < n, 'incomplete_cvc', "Your card's security code is incomplete."],
        [d.length > n, 'invalid_cvc', "Your card's security code is invalid."]],
      postal: [[!z, 'incomplete_zip', 'Your ZIP is incomplete.'],
        [!/^[a-z0-9][a-z0-9 -]{2,9}$/i.test(z), 'invalid_zip', 'Your ZIP is invalid.']],
    };
    const hit = rules[name].find(r => r[0]);
    return hit && hit.slice(1);
  };

  class PaymentElement {
    constructor(els, opts) { this._els = els; this._opts = opts || {}; this._h = {}; }
    on(ev, fn) { (this._h[ev] = this._h[ev] || []).push(fn); return this; }
    off(ev, fn) { this._h[ev] = (this._h[ev] || []).filter(f => f !== fn); return this; }
    _emit(ev, e) { (this._h[ev] || []).slice().forEach(fn => fn(Object.assign({elementType: 'payment'}, e))); }
    mount(target) {
      const host = typeof target === 'string' ? document.querySelector(target) : target;
      if (!(host instanceof Element)) throw IE('mount(): invalid DOM element or selector.');
      if (this._els._pe !== this) throw IE('This Element has already been destroyed.');
      if (this._root) throw IE('This Element is already mounted.');
      css();
      const root = this._root = el('div', C), id = C + '-' + ++seq, bd = (this._opts.fields || {}).billingDetails;
      const noZip = bd === 'never' || (bd && (bd.address === 'never' || (bd.address || {}).postalCode === 'never'));
      this._host = host;
      this._in = {};
      for (const [name, label, ac, ph, fmt] of FIELDS) {
        if (name === 'postal' && noZip) continue;
        const i = `${id}-${name}`, wrap = el('div', `${C}__field ${C}__field--${name}`);
        const lab = el('label', C + '__label', {for: i}), err = el('div', C + '__error', {id: i + '-e', role: 'alert'});
        const inp = el('input', C + '__input', {id: i, type: 'text', autocomplete: ac, placeholder: ph, spellcheck: 'false',
          inputmode: name === 'postal' ? 'text' : 'numeric', 'aria-required': 'true', 'aria-invalid': 'false', 'aria-describedby': err.id});
        lab.textContent = label;
        inp.addEventListener('input', () => {
          const f = fmt(inp.value);
          if (f !== inp.value) inp.value = f;
          if (inp.getAttribute('aria-invalid') === 'true') this._show(name); // clears the error once fixed
          this._els._ok = false;
          this._emit('change', Object.assign(this._classes(), {collapsed: false, value: {type: 'card'}}));
        });
        inp.addEventListener('blur', () => inp.value && this._show(name));
        wrap.append(lab, inp, err);
        root.append(wrap);
        this._in[name] = inp;
      }
      const focus = on => e => {
        if (root.contains(e.relatedTarget)) return;
        host.classList.toggle(E + '--focus', on);
        this._emit(on ? 'focus' : 'blur', {});
      };
      root.addEventListener('focusin', focus(true));
      root.addEventListener('focusout', focus(false));
      this._look();
      host.classList.add(E);
      host.append(root);
      this._classes();
      setTimeout(() => this._emit('ready', {}));
    }
    _look() { // appearance.variables -> CSS custom properties used by the built-in CSS
      const v = (this._els._opts.appearance || {}).variables || {};
      const map = {colorPrimary: 'primary', colorText: 'text', colorDanger: 'danger', colorBackground: 'bg', fontFamily: 'font', borderRadius: 'radius'};
      for (const k in map) if (this._root && v[k]) this._root.style.setProperty('--ss-' + map[k], v[k]);
    }
    _err(n) { return check(n, this._in[n].value, this._in.number.value); }
    _show(n) { // shows (or clears) the error of field n and returns it
      const e = this._err(n), inp = this._in[n];
      inp.setAttribute('aria-invalid', !!e);
      document.getElementById(inp.getAttribute('aria-describedby')).textContent = e ? e[1] : '';
      this._classes();
      return e;
    }
    _classes() {
      const t = (c, on) => this._host.classList.toggle(E + '--' + c, on), ins = Object.values(this._in);
      t('invalid', ins.some(i => i.getAttribute('aria-invalid') === 'true'));
      return {empty: t('empty', ins.every(i => !i.value)), complete: t('complete', Object.keys(this._in).every(n => !this._err(n)))};
    }
    unmount() {
      if (!this._root) return;
      this._root.remove();
      this._host.classList.remove(...['', '--focus', '--empty', '--complete', '--invalid'].map(s => E + s));
      this._root = null;
    }
    destroy() { this.unmount(); if (this._els._pe === this) this._els._pe = null; }
    focus() { if (this._root) this._root.querySelector('input').focus(); }
    clear() { if (this._root) for (const n in this._in) { this._in[n].value = ''; this._show(n); } }
    update(o) { Object.assign(this._opts, o); }
  }

  class Elements {
    constructor(opts) { this._opts = Object.assign({}, opts); this._pe = null; this._ok = false; }
    create(type, opts) {
      if (type !== 'payment') throw IE('Only the "payment" Element is implemented.');
      if (this._pe) throw IE('Can only create one Element of type payment.');
      return (this._pe = new PaymentElement(this, opts));
    }
    getElement(type) { return type === 'payment' ? this._pe : null; }
    update(opts) { Object.assign(this._opts, opts); if (this._pe) this._pe._look(); }
    fetchUpdates() { return Promise.resolve({}); }
    async submit() { // validates and shows every field; focuses the first invalid one
      const pe = this._pe;
      if (!pe || !pe._root) throw IE('submit(): no mounted Payment Element.');
      const bad = Object.keys(pe._in).map(n => [n, pe._show(n)]).filter(x => x[1]);
      this._ok = !bad.length;
      if (this._ok) return {selectedPaymentMethod: 'card'};
      pe._in[bad[0][0]].focus();
      return {error: {type: 'validation_error', code: bad[0][1][0], message: bad[0][1][1]}};
    }
  }

  // 3-D Secure challenge: modal <dialog>, Escape = fail. Resolves true/false.
  const challenge = () => new Promise(resolve => {
    css();
    const d = el('dialog', C + '-3ds', {'aria-labelledby': C + '-3ds-t', 'aria-describedby': C + '-3ds-d'}), back = document.activeElement;
    d.innerHTML = `<h2 id="${C}-3ds-t">3D Secure authentication</h2><p id="${C}-3ds-d">Test mode: complete or fail the ` +
      'authentication of this payment.</p><button type="button" value="1">Complete authentication</button><button type="button">Fail authentication</button>';
    const done = ok => {
      if (!d.isConnected) return;
      d.close();
      d.remove();
      if (back && back.focus) back.focus();
      resolve(ok);
    };
    d.addEventListener('click', e => { const b = e.target.closest('button'); if (b) done(!!b.value); });
    d.addEventListener('cancel', e => { e.preventDefault(); done(false); });
    document.body.append(d);
    d.showModal();
    d.querySelector('button').focus();
  });

  window.Stripe = function Stripe(key) {
    if (typeof key !== 'string' || !key) throw IE('Stripe(): apiKey should be a string.');
    if (/^sk_/.test(key)) throw IE('You should not use your secret key with Stripe.js.');
    const seen = {};
    const piId = cs => {
      const m = /^(pi_[A-Za-z0-9]+)_secret_/.exec(cs || '');
      if (!m) throw IE('Invalid clientSecret: ' + cs);
      return m[1];
    };
    // A PaymentIntent back in requires_payment_method carries last_payment_error.
    const outcome = pi => {
      const e = pi.status === 'requires_payment_method' && pi.last_payment_error;
      return e ? {error: Object.assign({type: e.code === 'card_declined' ? 'card_error' : 'invalid_request_error'}, e, {payment_intent: pi})} : {paymentIntent: pi};
    };
    const get = (id, cs) => api('GET', '/v1/payment_intents/' + id, {key, client_secret: cs}, 'pi');
    return {
      elements: opts => new Elements(opts),
      async createPaymentMethod(arg) {
        const els = arg && arg.elements;
        if (!(els instanceof Elements)) throw IE('createPaymentMethod: only {elements, params} is implemented.');
        if (!els._ok) throw IE('elements.submit() must be called before stripe.createPaymentMethod(). Call elements.submit() as soon as your customer presses pay, prior to any asynchronous work.');
        const i = els._pe._in, x = digits(i.expiry.value), bd = Object.assign({}, (arg.params || {}).billing_details);
        if (i.postal) bd.address = Object.assign({postal_code: i.postal.value.trim()}, bd.address);
        const card = {number: digits(i.number.value), exp_month: +x.slice(0, 2), exp_year: 2000 + +x.slice(2), cvc: i.cvc.value};
        let r = await api('POST', '/v1/payment_methods', {key, type: 'card', card, billing_details: bd}, 'pm');
        if (r.status === 401) { // vanilla localstripe: tokenize, use the token's card_... id
          r = await api('POST', '/v1/tokens', {key, card: Object.assign({address_zip: (bd.address || {}).postal_code, name: bd.name}, card)});
          const c = r.body.card || {};
          if (r.status === 200) r.body = {id: c.id, object: 'payment_method', type: 'card', created: c.created, livemode: false,
            billing_details: bd, card: {brand: c.brand.toLowerCase(), last4: c.last4, exp_month: c.exp_month, exp_year: c.exp_year}};
        }
        return r.status === 200 ? {paymentMethod: r.body} : fail(r);
      },
      async handleNextAction(arg) {
        const cs = (arg || {}).clientSecret, id = piId(cs), g = await get(id, cs);
        if (g.status === 200 && g.body.status !== 'requires_action') return outcome(seen[id] = g.body);
        const r = await api('POST', `/v1/payment_intents/${id}/_authenticate?success=${await challenge()}`, {key, client_secret: cs});
        return r.status === 200 ? outcome(seen[id] = r.body) : fail(r);
      },
      async retrievePaymentIntent(cs) {
        const id = piId(cs), g = await get(id, cs);
        return g.status === 200 ? {paymentIntent: g.body} : g.status === 401 && seen[id] ? {paymentIntent: seen[id]} : fail(g);
      },
    };
  };
})();
