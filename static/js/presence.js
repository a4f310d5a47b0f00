/*
 * Presence on a list's admin page (articles/admin_presence.py): a heartbeat
 * says this page is open and brings back who else has the list open —
 * "Bea Hopper has had this list open since 15:02." Closing the page says
 * goodbye; a page that stops beating is forgotten after a minute. Without
 * JavaScript nothing is shown, and nothing else changes.
 */
"use strict";
{
    function init() {
        const box = document.getElementById("presence");
        if (!box) return;
        const token = box.closest("form").querySelector("[name=csrfmiddlewaretoken]").value;
        const headers = {"X-CSRFToken": token};
        let every = 20000;
        let gone = false;

        function show(others) {
            const text = others.map((o) => `${o.name} has had this list open since ${o.since}.`).join(" ");
            if (box.textContent !== text) box.textContent = text; // said again only when it changes
            box.hidden = !text;
        }

        async function beat() {
            if (gone) return;
            try {
                const response = await fetch(box.dataset.url, {method: "POST", headers, credentials: "same-origin"});
                if (response.ok) {
                    const answer = await response.json();
                    every = (answer.every || 20) * 1000;
                    show(answer.others);
                }
            } catch {
                // Offline for a moment: try again at the next beat.
            }
            if (!gone) setTimeout(beat, every);
        }

        window.addEventListener("pagehide", () => {
            gone = true;
            fetch(box.dataset.url, {method: "DELETE", headers, credentials: "same-origin", keepalive: true}).catch(() => {});
        });
        beat();
    }

    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
}
