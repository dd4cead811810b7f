import { rpc } from "@web/core/network/rpc";
import publicWidget from "@web/legacy/js/public/public_widget";

/**
 * A running feed import's page follows the import: it asks for its progress
 * every few seconds, moves the bar, and reloads once the import is over, to
 * show its counts and rejected rows.
 */
publicWidget.registry.ResellerFeedProgress = publicWidget.Widget.extend({
    selector: ".o_reseller_feed_progress[data-progress-url]",
    pollDelay: 2000,

    start() {
        this._schedule();
        return this._super(...arguments);
    },

    destroy() {
        clearTimeout(this._timeout);
        this._super(...arguments);
    },

    _schedule() {
        this._timeout = setTimeout(() => this._poll(), this.pollDelay);
    },

    async _poll() {
        let progress;
        try {
            progress = await rpc(this.el.dataset.progressUrl, {});
        } catch {
            // A lost connection: try again later.
            this._schedule();
            return;
        }
        const bar = this.el.querySelector(".progress-bar");
        bar.style.width = `${progress.progress}%`;
        bar.textContent = `${progress.progress}%`;
        this.el.querySelector(".progress").setAttribute("aria-valuenow", progress.progress);
        this.el.querySelector(".o_reseller_chunks_done").textContent = progress.chunks_done;
        this.el.querySelector(".o_reseller_chunks").textContent = progress.chunks;
        if (progress.running) {
            this._schedule();
        } else {
            window.location.reload();
        }
    },
});

export default publicWidget.registry.ResellerFeedProgress;
