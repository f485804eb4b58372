/* A "copy" button beside a text to post (followups/staff/share.html). Without JavaScript or
   the clipboard the button stays hidden and the text is selected and copied by hand. */
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".copy-status");
    if (!source || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(function () {
        status.textContent = button.getAttribute("data-copied");
      }, function () {
        source.select();
        status.textContent = button.getAttribute("data-failed");
      });
    });
  });
})();
