// What the pages once did in inline handlers, so the Content-Security-Policy can refuse
// every inline script: a button that prints the page, a select that submits its form.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.submit();
});
