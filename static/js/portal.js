/*
 * OPB portal: the little JavaScript the pages use. Loaded with <script defer>;
 * there is no inline script anywhere, so a Content-Security-Policy can forbid it.
 * Every page works without this file.
 */
(function () {
  "use strict";

  // A button with data-busy-text says what is happening once its form is sent
  // (checking a workbook takes a few seconds), and cannot be pressed twice.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = form.querySelector("[data-busy-text]");
    if (!button || event.defaultPrevented) {
      return;
    }
    var busy = button.getAttribute("data-busy-text");
    button.setAttribute("data-idle-text", button.tagName === "INPUT" ? button.value : button.textContent);
    // Disabled after this event: the browser has already taken the form's values.
    window.setTimeout(function () {
      if (button.tagName === "INPUT") {
        button.value = busy;
      } else {
        button.textContent = busy;
      }
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      form.setAttribute("aria-busy", "true");
    }, 0);
  });

  // htmx here only ever reads (the RAG of a figure as it is typed); everything that changes
  // something is a form a person sends. So htmx sends no other request, whatever the markup
  // asks for: markup that got past escaping and hx-disable still cannot approve a return or
  // change a person (issue 11; tests/browser/test_htmx_attack.py).
  document.addEventListener("htmx:beforeRequest", function (event) {
    var verb = event.detail && event.detail.requestConfig && event.detail.requestConfig.verb;
    if (String(verb).toLowerCase() !== "get") {
      event.preventDefault();
    }
  });

  // The main navigation is a <details> "Menu" (templates/base.html): folded on a narrow screen,
  // open on a wide one, where its button is hidden; it follows the screen as it is resized.
  var wide = window.matchMedia("(min-width: 768px)");
  function fitMenu() {
    document.querySelectorAll("details[data-nav-menu]").forEach(function (menu) {
      menu.open = wide.matches;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fitMenu);
  } else {
    fitMenu();
  }
  wide.addEventListener("change", fitMenu);

  // Coming back with the Back button shows the page as it was left: make the button usable again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll("[data-idle-text]").forEach(function (button) {
      var idle = button.getAttribute("data-idle-text");
      if (button.tagName === "INPUT") {
        button.value = idle;
      } else {
        button.textContent = idle;
      }
      button.disabled = false;
      button.removeAttribute("aria-busy");
      button.form && button.form.removeAttribute("aria-busy");
    });
  });
})();
