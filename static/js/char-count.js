/*
 * A count under each box with a limit (data-count-max, set by
 * articles/forms.py): "118 of 160 characters", or how many too many. The box
 * takes any length, so nothing pasted is cut without a word; the server
 * refuses a text over the limit with its count.
 */
"use strict";
{
    function init() {
        for (const box of document.querySelectorAll("[data-count-max]")) {
            const max = parseInt(box.dataset.countMax, 10);
            const count = document.createElement("div");
            count.className = "help char-count";
            count.id = box.id + "_count";
            box.setAttribute("aria-describedby", [box.getAttribute("aria-describedby"), count.id].filter(Boolean).join(" "));
            box.after(count);
            const update = () => {
                const length = [...box.value].length;
                count.textContent = length > max
                    ? `${length - max} character${length - max === 1 ? "" : "s"} too many: at most ${max}.`
                    : `${length} of ${max} characters.`;
                count.classList.toggle("over", length > max);
            };
            box.addEventListener("input", update);
            update();
        }
    }

    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
}
