// The values page: once the server says a value was recorded (HX-Trigger: outcome-recorded,
// fired on the form that posted it), empty the form for the next value. A file, not an
// hx-on attribute: the Content Security Policy allows no inline script.
document.addEventListener("outcome-recorded", (event) => {
  const form = event.target.closest("form.oc-form");
  if (form) form.reset();
});
