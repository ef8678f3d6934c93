// What the pages once did in inline handlers, so the Content-Security-Policy can refuse
// every inline script (and htmx's evaluated attributes): a button that prints the page, a
// select that submits its form, a form emptied once the server says its value was recorded.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.submit();
});
// The server answers a recorded outcome with the HX-Trigger event "outcome-recorded", fired on
// the form that sent it: empty it for the next value.
document.addEventListener("outcome-recorded", (event) => {
  const form = event.target.closest("form");
  if (form) form.reset();
});
