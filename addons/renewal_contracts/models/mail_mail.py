from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _renewal_notices(self):
        notice_ids = [
            mail.res_id
            for mail in self
            if mail.model == "renewal.notice" and mail.res_id
        ]
        return self.env["renewal.notice"].sudo().browse(notice_ids).exists()

    def send(self, auto_commit=False, raise_exception=False, post_send_callback=None):
        # A notice whose contract was renewed, cancelled or marked
        # do-not-contact since it was queued does not go out.
        withdrawn = (
            self.filtered(lambda mail: mail.state == "outgoing")
            ._renewal_notices()
            ._withdraw_stale()
        )
        if withdrawn:
            withdrawn.mail_id.cancel()
        return super().send(
            auto_commit=auto_commit,
            raise_exception=raise_exception,
            post_send_callback=post_send_callback,
        )

    def _prepare_outgoing_list(
        self, mail_server=False, recipients_follower_status=None
    ):
        notice = self._renewal_notices()
        if notice:
            notice._attach_documents(self)
        return super()._prepare_outgoing_list(
            mail_server=mail_server,
            recipients_follower_status=recipients_follower_status,
        )

    def _postprocess_sent_message(
        self, success_pids, failure_reason=False, failure_type=None
    ):
        for mail in self:
            notice = mail._renewal_notices()
            if notice and notice.mail_id == mail:
                notice._record_outcome(mail, failure_type)
        return super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )
