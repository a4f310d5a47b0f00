/*
 * The list editor on a list's admin page (templates/admin/articles/article/
 * entries_inline.html). Entries are moved by dragging (SortableJS), by
 * Alt+ArrowUp/Down or the Move buttons, or by typing a rank and pressing
 * Enter. Every move renumbers the rank boxes, which are what the server
 * reads: nothing is saved until the editor saves, and one save stores the
 * whole order through the list's rank rules. Without this script the rank
 * boxes work by themselves.
 */
"use strict";
{
    const PREFIX = "entries";
    const WORDS = /[\p{L}\p{N}_]+/gu; // as Python's \w+ in articles/forms.py
    const WORDS_PER_MINUTE = 230;
    const EXCERPT_WORDS = 12;

    const countWords = (text) => (text.match(WORDS) || []).length;

    function init() {
        const group = document.getElementById(PREFIX + "-group");
        if (!group) return;
        const form = group.closest("form");
        const container = group.querySelector(".entry-rows");
        const announcer = group.querySelector(".list-announcer");
        group.querySelector(".list-help").hidden = true;
        group.querySelector(".list-help-js").hidden = false;

        const rows = () => [...container.querySelectorAll(".entry-row:not(.empty-form)")];
        const field = (row, name) => row.querySelector(`[name$="-${name}"]`);
        const isDeleted = (row) => Boolean(field(row, "DELETE") && field(row, "DELETE").checked);
        const filmLabel = (row) => {
            const select = field(row, "film");
            const chosen = select && select.selectedOptions[0];
            if (chosen && chosen.value) return chosen.textContent.replace(/ \(\d{4}\)$/, "");
            const typed = field(row, "new_film_title");
            return typed ? typed.value.trim() : "";
        };
        // A new row counts once something is chosen or typed in it; a blank
        // one gets no rank, so the server skips it as before.
        const isLive = (row) => !isDeleted(row) && (
            row.classList.contains("has_original") || Boolean(filmLabel(row)) ||
            ["heading", "write_up"].some((name) => field(row, name) && field(row, name).value.trim())
        );
        const liveRows = () => rows().filter(isLive);

        function announce(message) {
            announcer.textContent = message;
        }

        function addControls(row) {
            if (row.querySelector(".entry-move")) return;
            const controls = document.createElement("div");
            controls.className = "entry-move";
            const handle = document.createElement("span");
            handle.className = "entry-handle";
            handle.setAttribute("aria-hidden", "true");
            handle.title = "Drag to move";
            handle.textContent = "⠿";
            controls.append(handle);
            for (const [direction, text] of [["up", "Move up"], ["down", "Move down"]]) {
                const button = document.createElement("button");
                button.type = "button";
                button.className = "entry-" + direction;
                button.dataset.move = direction;
                button.textContent = text;
                controls.append(button);
            }
            row.prepend(controls);
        }

        // The summary line and the outline follow what the rows hold now.
        // A rank the editor has not saved is shown as such, never as saved.
        function renumber() {
            const live = liveRows();
            live.forEach((row, i) => {
                const rank = i + 1;
                field(row, "rank").value = rank;
                row.querySelector(".entry-rank").textContent = "#" + rank;
                const saved = row.dataset.savedRank;
                const note = row.querySelector(".entry-unsaved");
                note.hidden = saved === String(rank);
                note.textContent = saved ? `was #${saved}, not saved yet` : "new, not saved yet";
            });
            for (const row of rows().filter((r) => !live.includes(r))) {
                const note = row.querySelector(".entry-unsaved");
                row.querySelector(".entry-rank").textContent = isDeleted(row) ? "—" : "New";
                if (isDeleted(row)) field(row, "rank").value = row.dataset.savedRank || "";
                note.hidden = !isDeleted(row);
                note.textContent = "to be deleted when you save";
            }
            refreshOutline(live);
            describeRows();
        }

        function refreshOutline(live) {
            const list = group.querySelector(".entry-outline ol");
            list.replaceChildren(...live.map((row) => {
                const item = document.createElement("li");
                const link = document.createElement("a");
                link.href = "#" + row.id;
                link.textContent = filmLabel(row) || "New entry";
                item.append(link);
                return item;
            }));
        }

        // The Move buttons say which entry they move, for people who hear them out of context.
        function describeRows() {
            for (const row of rows()) {
                const name = filmLabel(row) || "this entry";
                row.querySelector(".entry-up").setAttribute("aria-label", `Move ${name} up`);
                row.querySelector(".entry-down").setAttribute("aria-label", `Move ${name} down`);
            }
        }

        function moveTo(row, rank) {
            const live = liveRows().filter((r) => r !== row);
            if (rank < 1 || rank > live.length + 1) {
                announce(`Ranks run from 1 to ${live.length + 1}.`);
                return false;
            }
            const before = live[rank - 1];
            container.insertBefore(row, before || (live.length ? live[live.length - 1].nextSibling : container.firstChild));
            afterMove(row);
            return true;
        }

        function afterMove(row) {
            renumber();
            form.dispatchEvent(new CustomEvent("listeditor:moved", {bubbles: true})); // autosave.js keeps it
            const live = liveRows();
            const rank = live.indexOf(row) + 1;
            if (rank) announce(`${filmLabel(row) || "New entry"} moved to rank ${rank} of ${live.length}.`);
        }

        function step(row, direction) {
            const live = liveRows();
            const rank = live.indexOf(row) + 1;
            if (!rank) return;
            const target = direction === "up" ? rank - 1 : rank + 1;
            if (target < 1 || target > live.length) {
                announce(`${filmLabel(row)} is already ${target < 1 ? "first" : "last"}.`);
                return;
            }
            moveTo(row, target);
        }

        function updateWords(row) {
            const text = field(row, "write_up").value;
            row.querySelector(".entry-word-count").textContent = countWords(text);
            const words = text.split(/\s+/).filter(Boolean);
            row.querySelector(".entry-excerpt").textContent =
                words.slice(0, EXCERPT_WORDS).join(" ") + (words.length > EXCERPT_WORDS ? "…" : "");
            const total = rows().reduce((sum, r) => sum + countWords(field(r, "write_up").value), 0);
            group.querySelector(".list-words").textContent = total;
            group.querySelector(".list-minutes").textContent = Math.max(1, Math.ceil(total / WORDS_PER_MINUTE));
        }

        function updateFilm(row) {
            row.querySelector(".entry-film").textContent = filmLabel(row) || "Choose a film";
            renumber();
        }

        // After a failed save the rows come back in form order, with the ranks
        // typed: when those run 1…N, show the rows in that order again.
        function restoreTypedOrder() {
            const live = liveRows().filter((row) => field(row, "rank").value);
            const typed = live.map((row) => parseInt(field(row, "rank").value, 10));
            const sorted = [...typed].sort((a, b) => a - b);
            if (!sorted.every((rank, i) => rank === i + 1)) return;
            const before = live.length ? live[live.length - 1].nextSibling : null;
            for (const row of [...live].sort((a, b) => typed[live.indexOf(a)] - typed[live.indexOf(b)])) {
                container.insertBefore(row, before);
            }
            renumber();
        }

        for (const row of container.querySelectorAll(".entry-row")) addControls(row);
        if (form.querySelector(".errorlist")) restoreTypedOrder();
        // Autosave put a working copy back: show its entries in its order.
        form.addEventListener("autosave:restored", () => {
            restoreTypedOrder();
            renumber();
        });
        // The error summary's links go to an entry: open it there.
        const openTarget = () => {
            const row = location.hash && document.getElementById(location.hash.slice(1));
            if (row && row.classList.contains("entry-row")) row.querySelector("details").open = true;
        };
        window.addEventListener("hashchange", openTarget);
        describeRows();

        if (window.Sortable) {
            window.Sortable.create(container, {
                handle: ".entry-handle",
                draggable: ".entry-row:not(.empty-form)",
                animation: 150,
                // The hidden template for new entries stays last.
                onMove: (event) => !event.related.classList.contains("empty-form"),
                onEnd: (event) => {
                    if (event.oldIndex !== event.newIndex) afterMove(event.item);
                },
            });
        }

        group.addEventListener("click", (event) => {
            const button = event.target.closest("button[data-move]");
            if (button) step(button.closest(".entry-row"), button.dataset.move);
            const link = event.target.closest(".entry-outline a");
            if (link) {
                const row = document.getElementById(link.hash.slice(1));
                if (row) {
                    event.preventDefault();
                    row.querySelector("details").open = true;
                    row.scrollIntoView({block: "start"});
                    row.querySelector("summary").focus();
                }
            }
        });

        group.addEventListener("keydown", (event) => {
            const row = event.target.closest(".entry-row:not(.empty-form)");
            if (!row) return;
            if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
                event.preventDefault();
                step(row, event.key === "ArrowUp" ? "up" : "down");
                event.target.focus();
            } else if (event.key === "Enter" && event.target.matches('[name$="-rank"]')) {
                // Enter in a rank box moves the entry there; it does not send the form.
                event.preventDefault();
                const wanted = parseInt(event.target.value, 10);
                if (!Number.isNaN(wanted) && isLive(row)) moveTo(row, wanted);
                event.target.focus();
            }
        });

        group.addEventListener("input", (event) => {
            const row = event.target.closest(".entry-row");
            if (!row) return;
            if (event.target.matches('[name$="-write_up"]')) updateWords(row);
            // A new entry with words in it takes its place in the numbering.
            if (!field(row, "rank").value && isLive(row)) renumber();
            if (event.target.matches('[name$="-new_film_title"], [name$="-heading"]')) updateFilm(row);
        });

        group.addEventListener("change", (event) => {
            const row = event.target.closest(".entry-row");
            if (!row) return;
            if (event.target.matches('[name$="-DELETE"]')) renumber();
            if (event.target.matches('[name$="-rank"]') && isLive(row)) {
                // A rank typed and left is a move too, as Enter is.
                const wanted = parseInt(event.target.value, 10);
                if (wanted !== liveRows().indexOf(row) + 1 && !(Number.isNaN(wanted) || moveTo(row, wanted))) renumber();
            }
        });

        // Select2 announces a chosen film through jQuery, not a DOM event.
        if (window.django && window.django.jQuery) {
            window.django.jQuery(group).on("change", 'select[name$="-film"]', function (event) {
                if (event.namespace) return; // Select2 setting itself up, not a choice
                    updateFilm(this.closest(".entry-row"));
            });
        }

        // Django renumbers the forms in page order when an unsaved entry is
        // removed; its field names must keep their first order, the form
        // indices, so the page order is put back that way for the moment.
        let visualOrder = null;
        group.addEventListener("click", (event) => {
            const remove = event.target.closest(".inline-deletelink");
            if (!remove) return;
            // The ✕ on a new entry drops it at once: ask first when it holds words.
            const row = remove.closest(".entry-row");
            const words = countWords(["heading", "write_up", "new_film_title"].map((n) => field(row, n) ? field(row, n).value : "").join(" "));
            const name = filmLabel(row);
            if (words && !window.confirm(`Remove ${name ? "the entry for " + name : "this new entry"} and its ${words} word${words === 1 ? "" : "s"}? This cannot be undone.`)) {
                event.preventDefault();
                event.stopPropagation();
                return;
            }
            visualOrder = rows();
            const byIndex = [...visualOrder].sort(
                (a, b) => parseInt(a.id.split("-").pop(), 10) - parseInt(b.id.split("-").pop(), 10));
            const template = container.querySelector(".empty-form");
            for (const row of byIndex) container.insertBefore(row, template);
        }, true);
        document.addEventListener("formset:removed", (event) => {
            if (event.detail.formsetName !== PREFIX || !visualOrder) return;
            const template = container.querySelector(".empty-form");
            for (const row of visualOrder.filter((r) => r.isConnected)) container.insertBefore(row, template);
            visualOrder = null;
            renumber();
        });
        document.addEventListener("formset:added", (event) => {
            if (event.detail.formsetName !== PREFIX) return;
            const row = event.target;
            addControls(row);
            row.querySelector("details").open = true;
            describeRows();
        });

        // Unsaved means the form would send something other than what the
        // page opened with (a move, a keystroke), not that some event fired.
        const state = () => new URLSearchParams(new FormData(form)).toString();
        let opened = null;
        const remember = () => { opened = state(); };
        if (document.readyState === "complete") remember(); else window.addEventListener("load", remember);
        let sending = false;
        // A form the server refused (a duplicate film, an edit conflict) holds
        // work that is saved nowhere, though it is what the page opened with.
        const refused = Boolean(document.getElementById("error-summary"));
        // Preview sends the form to another tab: this page stays, unsaved.
        form.addEventListener("submit", (event) => {
            if (!(event.submitter && event.submitter.formTarget)) sending = true;
        });
        window.addEventListener("beforeunload", (event) => {
            if (!sending && (refused || opened !== null && state() !== opened)) event.preventDefault();
        });

        // Select2's inner box (a textbox to screen readers) has no name of its
        // own while empty: it takes the film field's label.
        function nameFilmBoxes() {
            for (const box of group.querySelectorAll(".select2-selection__rendered")) {
                box.setAttribute("aria-label", "Film");
            }
        }
        document.addEventListener("formset:added", () => setTimeout(nameFilmBoxes));

        // After a save that failed: open the first entry with a problem and
        // put the cursor where the problem is.
        function goToFirstError() {
            let firstError = form.querySelector(".errorlist");
            if (!firstError) return;
            // A problem of the whole list (a film twice) names its entry in the summary's link.
            const named = document.querySelector('#error-summary a[href^="#' + PREFIX + '-"]');
            const namedRow = named && document.getElementById(named.hash.slice(1));
            if (!firstError.closest(".entry-row") && firstError.closest("#" + PREFIX + "-group") &&
                namedRow && namedRow.classList.contains("entry-row")) firstError = namedRow.querySelector("summary");
            const row = firstError.closest(".entry-row");
            if (row) row.querySelector("details").open = true;
            const place = firstError.closest(".fieldBox, .form-row") || row || firstError;
            let target = place.querySelector("input:not([type=hidden]), select, textarea");
            if (target && target.classList.contains("select2-hidden-accessible")) {
                // Select2 hides the select; its own box is what takes the keyboard.
                target = place.querySelector(".select2-selection") || target;
            }
            target = target || document.getElementById("error-summary");
            target.scrollIntoView({block: "center"});
            target.focus({preventScroll: true});
        }

        const afterSelect2 = () => {
            nameFilmBoxes();
            goToFirstError();
        };
        // Select2 sets itself up in a jQuery ready handler (admin/js/autocomplete.js);
        // one queued after it runs once the film boxes exist.
        if (window.django && window.django.jQuery) window.django.jQuery(afterSelect2); else afterSelect2();
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
}
