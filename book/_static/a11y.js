// Small accessibility fixes that need the page's script-built parts (book/_static/custom.css has
// the styles):
// - Figures that scroll sideways (phones) get a tab stop so that keyboard users can scroll them
//   too (WCAG 2.1.1; axe rule scrollable-region-focusable). The theme does the same for tables
//   and code. Re-checked when the window is resized.
// - sphinx-togglebutton builds its buttons in JavaScript with the English name "Toggle hidden
//   content" (no message id): renamed in Swedish.
// - sphinx-copybutton has no Swedish messages and falls back to English ("Copy", "Copied!"):
//   Swedish ones are added to its catalogue (its top-level `messages`, `locale` and icon
//   strings; this file loads after copybutton.js and before the buttons are made).
/* global messages, locale, iconCopy, iconCheck */
/* eslint no-global-assign: off */
if (typeof messages !== 'undefined' && typeof locale !== 'undefined' && !messages.sv) {
  messages.sv = {
    copy: 'Kopiera', copy_to_clipboard: 'Kopiera till urklipp',
    copy_success: 'Kopierat!', copy_failure: 'Kunde inte kopiera',
  };
  if (document.documentElement.lang === 'sv') {
    for (const key of ['copy_to_clipboard', 'copy_success']) {
      iconCopy = iconCopy.replace(messages[locale][key], messages.sv[key]);
      iconCheck = iconCheck.replace(messages[locale][key], messages.sv[key]);
    }
    locale = 'sv';
  }
}

(() => {
  const update = () => {
    document.querySelectorAll('button.toggle-button[aria-label="Toggle hidden content"]').forEach((b) => {
      b.setAttribute('aria-label', 'Visa eller dölj innehållet');
    });
    document.querySelectorAll('.bd-article figure').forEach((fig) => {
      if (fig.scrollWidth > fig.clientWidth) fig.tabIndex = 0;
      else fig.removeAttribute('tabindex');
    });
  };
  let timer = null;
  const later = () => { clearTimeout(timer); timer = setTimeout(update, 200); };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', update);
  else update();
  window.addEventListener('resize', later);
  window.addEventListener('load', update);
})();
