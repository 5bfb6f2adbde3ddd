/* global document, crypto, TextEncoder */
// Proof of work on the portal's public forms (see proof-of-work.ts): find a nonce such that
// sha256("<challenge>:<nonce>") starts with the challenge's number of zero bits, with WebCrypto, and put it in the
// form's `pow_nonce` field. The work starts when a person first touches the form, so it is usually done before they
// send it; if not, sending waits for it. Without JavaScript (or WebCrypto) the form is sent without a proof and the
// server applies a stricter rate limit instead.
const zeroBits = (bytes) => {
  let n = 0;
  for (const b of bytes) {
    if (b === 0) {
      n += 8;
      continue;
    }
    return n + Math.clz32(b) - 24;
  }
  return n;
};
for (const form of document.querySelectorAll('form[data-pow]')) {
  const challenge = form.querySelector('input[name=pow_challenge]');
  const nonce = form.querySelector('input[name=pow_nonce]');
  if (!challenge || !nonce || !globalThis.crypto || !crypto.subtle) continue;
  const bits = Number(challenge.value.split('.')[2]);
  let work = null;
  const start = () => {
    if (!work)
      work = (async () => {
        const encoder = new TextEncoder();
        for (let n = 0; ; n++) {
          const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(`${challenge.value}:${n}`)));
          if (zeroBits(digest) >= bits) {
            nonce.value = String(n);
            return;
          }
        }
      })();
    return work;
  };
  form.addEventListener('focusin', start, { once: true });
  form.addEventListener('submit', (event) => {
    if (nonce.value) return;
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    if (button) {
      button.disabled = true;
      button.setAttribute('aria-busy', 'true');
    }
    const status = form.querySelector('.pow-status');
    if (status) status.hidden = false;
    start().then(() => form.submit());
  });
}
