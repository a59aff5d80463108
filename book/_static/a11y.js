// Small accessibility fixes that need the page's script-built parts (book/_static/custom.css has
// the styles):
// - Figures that scroll sideways (phones) get a tab stop so that keyboard users can scroll them
//   too (WCAG 2.1.1; axe rule scrollable-region-focusable). The theme does the same for tables
//   and code. Re-checked when the window is resized.
// - sphinx-togglebutton builds its buttons in JavaScript with the English name "Toggle hidden
//   content" (no message id): renamed in Swedish.
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
