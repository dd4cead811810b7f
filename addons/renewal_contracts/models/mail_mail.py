from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _renewal_notice(self):
        """The notice this mail is the e-mail of, if any: not any other mail
        of the notice's thread."""
        self.ensure_one()
        if self.model != "renewal.notice" or not self.res_id:
            return self.env["renewal.notice"]
        notice = self.env["renewal.notice"].sudo().browse(self.res_id).exists()
        return notice if notice.mail_id == self else notice.browse()

    def send(self, auto_commit=False, raise_exception=False, post_send_callback=None):
        # A notice whose contract was renewed, cancelled or marked
        # do-not-contact since it was queued does not go out.
        notices = self.env["renewal.notice"].sudo()
        for mail in self.filtered(
            lambda m: m.model == "renewal.notice" and m.state == "outgoing"
        ):
            notices |= mail._renewal_notice()
        withdrawn = notices._withdraw_stale().mail_id
        withdrawn.cancel()
        return super(MailMail, self - withdrawn).send(
            auto_commit=auto_commit,
            raise_exception=raise_exception,
            post_send_callback=post_send_callback,
        )

    def _prepare_outgoing_list(
        self, mail_server=False, recipients_follower_status=None
    ):
        notice = self._renewal_notice()
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
            notice = mail._renewal_notice()
            if notice:
                notice._record_outcome(mail, failure_type)
        return super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )
