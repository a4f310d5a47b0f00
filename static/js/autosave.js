/*
 * Autosave on a list's admin page (add and change). A few seconds after the
 * editor stops typing, the whole form is kept: first in this browser
 * (localStorage), then as the editor's working copy on the server (one row
 * per person and list, replaced in place; never a revision; see
 * articles/admin_autosave.py). The browser's copy stays until the server has
 * it, so a lost network loses nothing. Reopening the list, or the add page,
 * offers the copy back in one click and names what differs from the page.
 * A successful save discards the copy; a refused one keeps it.
 */
"use strict";
{
    const QUIET_MS = 3000;
    // Never restored: the token is this page's, and the overwrite choice must be made afresh.
    const SKIP = new Set(["csrfmiddlewaretoken", "seen_version", "overwrite"]);
    // Kept with the copy but not "work": the version the copy's page was opened at.
    const BOOKKEEPING = new Set(["version"]);
    const ENTRY = /^entries-(\d+)-(.+)$/;
    const ENTRY_FIELDS = {
        rank: "rank", film: "film", heading: "heading", write_up: "write-up",
        new_film_title: "new film", new_film_year: "new film's year", new_film_format: "new film's format",
        DELETE: "deletion",
    };
    const CONTENT = ["film", "heading", "write_up", "new_film_title"];

    function init() {
        const box = document.getElementById("autosave");
        if (!box) return;
        const form = box.closest("form");
        const status = box.querySelector(".autosave-status");
        const offer = box.querySelector(".autosave-offer");
        const key = box.dataset.key;
        const pageVersion = box.dataset.version;
        const token = form.querySelector("[name=csrfmiddlewaretoken]").value;
        const refused = Boolean(document.getElementById("error-summary"));

        const say = (text) => { status.textContent = text; };
        const clock = (ms) => new Date(ms).toLocaleTimeString([], {hour: "2-digit", minute: "2-digit", hourCycle: "h23"});

        // --- The form as data -------------------------------------------------

        function snapshot() {
            const fields = [];
            for (const [name, value] of new FormData(form)) {
                if (!SKIP.has(name) && typeof value === "string" && !name.includes("__prefix__")) fields.push([name, value]);
            }
            // A film box offers only the film chosen: keep its name to show it again.
            const labels = {};
            for (const select of form.querySelectorAll("select.admin-autocomplete")) {
                const option = select.selectedOptions[0];
                if (option && option.value) labels[select.name] = option.textContent;
            }
            return {at: Date.now(), version: form.elements.version ? form.elements.version.value : "", fields, labels};
        }

        // {article: Map(name → [values]), entries: Map(index → Map(field → [values]))}
        function parse(fields) {
            const article = new Map(), entries = new Map();
            for (const [name, value] of fields) {
                if (BOOKKEEPING.has(name) || SKIP.has(name)) continue;
                const match = name.match(ENTRY);
                let map = article, field = name;
                if (match) {
                    if (!entries.has(match[1])) entries.set(match[1], new Map());
                    map = entries.get(match[1]);
                    field = match[2];
                } else if (name.startsWith("entries-")) {
                    continue; // the management form is the page's own
                }
                if (!map.has(field)) map.set(field, []);
                map.get(field).push(value);
            }
            return {article, entries};
        }

        const same = (a = [], b = []) => a.length === b.length && a.every((v, i) => v === b[i]);
        const one = (map, field) => ((map && map.get(field)) || [""])[0];
        const hasContent = (entry) => CONTENT.some((field) => one(entry, field).trim());

        function labelOf(name) {
            const label = form.querySelector(`label[for="id_${CSS.escape(name)}"]`);
            return label ? label.textContent.replace(/:\s*$/, "").trim() : name;
        }

        // Which entry of the page each of the copy's entries is: the same saved
        // entry (by id), else a new one (a blank row of the page, or one added).
        function pair(copy, page) {
            const byId = new Map();
            for (const [index, entry] of page.entries) if (one(entry, "id")) byId.set(one(entry, "id"), index);
            const blanks = [...page.entries].filter(([, e]) => !one(e, "id") && !hasContent(e)).map(([i]) => i);
            const pairs = [];
            for (const [index, entry] of copy.entries) {
                const id = one(entry, "id");
                if (id && byId.has(id)) pairs.push([entry, byId.get(id)]);
                else if (hasContent(entry)) pairs.push([entry, blanks.length ? blanks.shift() : null]);
            }
            return pairs;
        }

        function entryName(entry, copy) {
            const film = copy.labels[`entries-${entry.index}-film`];
            const name = (film || one(entry.fields, "new_film_title") || "").replace(/ \(\d{4}\)$/, "");
            const rank = one(entry.fields, "rank");
            return (rank ? `#${rank} ` : "") + (name || "an entry with no film yet");
        }

        // What the editor would get back, in words: "Intro", "#2 Spirited Away: write-up".
        function differences(copy) {
            const ours = parse(copy.fields), page = parse(snapshot().fields);
            const found = [];
            const names = new Set([...ours.article.keys(), ...page.article.keys()]);
            for (const name of names) {
                if (!same(ours.article.get(name), page.article.get(name))) found.push(labelOf(name));
            }
            const indexOf = new Map([...ours.entries].map(([i, e]) => [e, i]));
            for (const [entry, target] of pair(ours, page)) {
                const described = {index: indexOf.get(entry), fields: entry};
                if (target === null || !one(entry, "id")) {
                    const theirs = target === null ? null : page.entries.get(target);
                    if (!theirs || !hasContent(theirs)) found.push(`New entry: ${entryName(described, copy)}`);
                    continue;
                }
                const theirs = page.entries.get(target);
                const changed = Object.keys(ENTRY_FIELDS).filter((f) => !same(entry.get(f), theirs.get(f)));
                if (changed.length) found.push(`${entryName(described, copy)}: ${changed.map((f) => ENTRY_FIELDS[f]).join(", ")}`);
            }
            return found;
        }

        // --- Putting a copy back into the form ----------------------------------

        function setField(name, values, label) {
            const elements = form.querySelectorAll(`[name="${CSS.escape(name)}"]`);
            for (const el of elements) {
                if (el.type === "file" || el.type === "hidden" && name.endsWith("-id")) continue;
                if (el.type === "checkbox" || el.type === "radio") {
                    el.checked = values.includes(el.value);
                } else if (el.tagName === "SELECT") {
                    for (const value of values) {
                        if (value && ![...el.options].some((o) => o.value === value)) el.add(new Option(label || value, value));
                    }
                    for (const option of el.options) option.selected = values.includes(option.value);
                } else {
                    el.value = values[0] || "";
                }
                el.dispatchEvent(new Event("input", {bubbles: true}));
                el.dispatchEvent(new Event("change", {bubbles: true}));
            }
        }

        function restore(copy) {
            const ours = parse(copy.fields);
            let page = parse(snapshot().fields);
            const pairs = pair(ours, page);
            // New entries beyond the page's blank rows get rows of their own.
            const addLink = form.querySelector("#entries-group .add-row a");
            for (const p of pairs.filter(([, target]) => target === null)) {
                const before = new Set(page.entries.keys());
                if (!addLink) break;
                addLink.click();
                page = parse(snapshot().fields);
                p[1] = [...page.entries.keys()].find((i) => !before.has(i)) || null;
            }
            const indexOf = new Map([...ours.entries].map(([i, e]) => [e, i]));
            for (const name of new Set([...ours.article.keys(), ...page.article.keys()])) {
                setField(name, ours.article.get(name) || [], copy.labels[name]);
            }
            for (const [entry, target] of pairs) {
                if (target === null) continue;
                const fields = new Set([...entry.keys(), ...page.entries.get(target).keys()]);
                for (const field of fields) {
                    if (field === "id" || field === "article") continue;
                    setField(`entries-${target}-${field}`, entry.get(field) || [],
                             copy.labels[`entries-${indexOf.get(entry)}-${field}`]);
                }
            }
            // The copy is based on the version its page was opened at: if the
            // list was saved since, saving shows what changed instead of undoing it.
            if (copy.version && form.elements.version) form.elements.version.value = copy.version;
            form.dispatchEvent(new CustomEvent("autosave:restored", {bubbles: true}));
        }

        // --- Keeping copies -------------------------------------------------------

        const local = {
            read() {
                try { return JSON.parse(localStorage.getItem(key)); } catch { return null; }
            },
            write(copy) {
                try { localStorage.setItem(key, JSON.stringify(copy)); } catch { /* full or refused: the server still gets it */ }
            },
            clear(at) {
                const kept = local.read();
                if (kept && (at === undefined || kept.at === at)) localStorage.removeItem(key);
            },
        };

        const work = (copy) => JSON.stringify(copy.fields.filter(([name]) => !BOOKKEEPING.has(name)));
        let lastSent = work(snapshot());
        let timer = null;
        let inFlight = null; // the copy on its way to the server
        let submitted = false;

        async function send(copy) {
            local.write(copy);
            inFlight = new AbortController();
            try {
                const response = await fetch(box.dataset.url, {
                    method: "POST", body: JSON.stringify(copy), credentials: "same-origin", signal: inFlight.signal,
                    headers: {"Content-Type": "application/json", "X-CSRFToken": token},
                });
                if (!response.ok) throw new Error(response.status);
                const answer = await response.json();
                local.clear(copy.at);
                say(`Unsaved changes kept at ${answer.at}, as a working copy only you can see. Save to keep them in the list.`);
            } catch {
                if (submitted) return;
                say(`Unsaved changes kept in this browser at ${clock(copy.at)}; the server could not be reached. They are sent when it can be.`);
            }
        }

        function keepNow() {
            clearTimeout(timer);
            timer = null;
            if (submitted) return;
            const copy = snapshot();
            if (work(copy) === lastSent) return;
            lastSent = work(copy);
            send(copy);
        }

        const soon = () => {
            clearTimeout(timer);
            timer = setTimeout(keepNow, QUIET_MS);
        };
        form.addEventListener("input", soon);
        form.addEventListener("change", soon);
        form.addEventListener("listeditor:moved", soon);
        // Leaving or hiding the tab keeps what was typed in the last few seconds too.
        document.addEventListener("visibilitychange", () => {
            if (document.visibilityState === "hidden" && timer) local.write(snapshot());
        });
        window.addEventListener("pagehide", () => {
            if (timer) local.write(snapshot());
        });

        form.addEventListener("submit", (event) => {
            if (event.submitter && event.submitter.formTarget) return; // Preview: nothing leaves this page
            clearTimeout(timer);
            // A copy arriving after the save would outlive it: the save is the copy now.
            submitted = true;
            if (inFlight) inFlight.abort();
            // The save may be refused: the page then comes back with this copy.
            local.write({...snapshot(), submitted: true});
        });

        // --- Offering a copy back ---------------------------------------------------

        function chooseCopy() {
            const server = JSON.parse(document.getElementById("autosave-copy").textContent);
            let mine = local.read();
            // The browser's copy counts while the list is at the version it was made from
            // (the add page has none); after a submit, the page that came back has it.
            if (mine && (mine.submitted || String(mine.version || "") !== String(pageVersion))) {
                local.clear(); // saved since, or made from another version: the page has moved on
                mine = null;
            }
            if (server && mine && (server.at || 0) >= mine.at) return {copy: server, from: "server"};
            if (mine) return {copy: mine, from: "browser"};
            return server ? {copy: server, from: "server"} : null;
        }

        function showOffer(found) {
            const {copy, from} = found;
            const changes = differences(copy);
            if (!changes.length) return false;
            offer.querySelector(".autosave-offer-when").textContent = from === "server"
                ? `Autosaved at ${copy.saved}${copy.day !== new Date().toISOString().slice(0, 10) ? " on " + copy.day : ""} and not saved to the list.`
                : `Kept in this browser at ${clock(copy.at)}; it never reached the server.`;
            offer.querySelector(".autosave-offer-changes").replaceChildren(...changes.map((text) => {
                const item = document.createElement("li");
                item.textContent = text;
                return item;
            }));
            offer.querySelector(".autosave-offer-version").hidden =
                !(copy.version && pageVersion && String(copy.version) !== String(pageVersion));
            offer.hidden = false;
            offer.addEventListener("click", (event) => {
                const button = event.target.closest("button[data-autosave]");
                if (!button) return;
                offer.hidden = true;
                if (button.dataset.autosave === "restore") {
                    restore(copy);
                    say(`Your unsaved work is back in the form (${changes.length} change${changes.length === 1 ? "" : "s"}). Save to keep it.`);
                    (form.querySelector("#id_title") || form).focus();
                } else {
                    local.clear();
                    fetch(box.dataset.url, {method: "DELETE", headers: {"X-CSRFToken": token}, credentials: "same-origin"});
                    say("The unsaved copy was discarded.");
                }
            });
            return true;
        }

        if (refused) {
            // A refused save: the form shows what was typed; keep it as the working copy.
            lastSent = "";
            keepNow();
        } else {
            const found = chooseCopy();
            if (found && !showOffer(found)) {
                // The page already holds all of it (the copy was saved): nothing to offer.
                local.clear();
            }
        }
    }

    // After the list editor and Select2 have set up the form.
    window.addEventListener("load", init);
}
