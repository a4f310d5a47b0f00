/*
 * An entry's film box (Select2, from the admin's autocomplete) when the
 * catalogue has no such film: instead of a dead end, "No results" offers
 * Create “Mirai” (unconfirmed). Choosing it (a click, or Enter in the search
 * box) puts the title in the entry's "New film" fields, right under the film
 * box, and moves to the year; the film is made, unconfirmed, when the list is
 * saved. Without JavaScript the "New film" fields are there to fill by hand.
 */
"use strict";
{
    // Django's jQuery (jquery.init.js) is set up after this file loads: read it once the page is.
    let $ = null;

    function createButton(select, term) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "button film-create";
        button.textContent = `Create “${term}” (unconfirmed)`;
        // Select2 closes on mouseup outside its options; act on mousedown first.
        button.addEventListener("mousedown", (event) => {
            event.preventDefault();
            create(select, term);
        });
        return button;
    }

    function create(select, term) {
        const row = select.closest(".inline-related");
        $(select).val(null).trigger("change").select2("close");
        const fields = row.querySelector(".new-film");
        const details = fields.querySelector("details");
        if (details) details.open = true;
        const title = row.querySelector('[name$="-new_film_title"]');
        title.value = term;
        title.dispatchEvent(new Event("input", {bubbles: true}));
        row.querySelector(".select2-selection__rendered").textContent = `${term} (new, unconfirmed)`;
        const year = row.querySelector('[name$="-new_film_year"]');
        year.scrollIntoView({block: "nearest"});
        year.focus();
    }

    function offerCreate(select) {
        const search = document.querySelector(".select2-container--open .select2-search__field");
        const results = document.querySelector(".select2-container--open .select2-results__options");
        if (!search || !results) return;
        const update = () => {
            const message = results.querySelector(".select2-results__message");
            const term = search.value.trim();
            if (!message || !term || message.querySelector(".film-create")) return;
            if (results.querySelector(".select2-results__option:not(.select2-results__message)")) return;
            message.replaceChildren(`No film “${term}” in the catalogue. `, createButton(select, term));
        };
        const observer = new MutationObserver(update);
        observer.observe(results, {childList: true, subtree: true});
        const enter = (event) => {
            const button = results.querySelector(".film-create");
            if (event.key === "Enter" && button) {
                event.preventDefault();
                event.stopPropagation();
                create(select, search.value.trim());
            }
        };
        search.addEventListener("keydown", enter, true);
        $(select).one("select2:close", () => {
            observer.disconnect();
            search.removeEventListener("keydown", enter, true);
        });
    }

    document.addEventListener("DOMContentLoaded", () => {
        $ = window.django && window.django.jQuery;
        if (!$) return;
        $(document).on("select2:open", 'select[name^="entries-"][name$="-film"]', function () {
            offerCreate(this);
        });
        // A film chosen from the catalogue after all: the new one is not wanted.
        $(document).on("select2:select", 'select[name^="entries-"][name$="-film"]', function () {
            const title = this.closest(".inline-related").querySelector('[name$="-new_film_title"]');
            if (title && title.value) {
                title.value = "";
                title.dispatchEvent(new Event("input", {bubbles: true}));
            }
        });
    });
}
