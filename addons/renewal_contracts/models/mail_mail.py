from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _renewal_notice_by_mail(self):
        """The notices these mails are the e-mails of, by mail: not any
        other mail of a notice's thread. One query for all of them."""
        mails = self.filtered(lambda m: m.model == "renewal.notice" and m.res_id)
        if not mails:
            return {}
        notices = self.env["renewal.notice"].sudo().browse(set(mails.mapped("res_id")))
        return {
            notice.mail_id: notice
            for notice in notices.exists()
            if notice.mail_id in mails
        }

    def send(self, auto_commit=False, raise_exception=False, post_send_callback=None):
        # A notice whose contract was renewed, cancelled or marked
        # do-not-contact since it was queued does not go out.
        outgoing = self.filtered(lambda mail: mail.state == "outgoing")
        notices = self.env["renewal.notice"].sudo()
        for notice in outgoing._renewal_notice_by_mail().values():
            notices |= notice
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
        notice = self._renewal_notice_by_mail().get(self)
        if notice:
            notice._attach_documents(self)
        return super()._prepare_outgoing_list(
            mail_server=mail_server,
            recipients_follower_status=recipients_follower_status,
        )

    def _postprocess_sent_message(
        self, success_pids, failure_reason=False, failure_type=None
    ):
        for mail, notice in self._renewal_notice_by_mail().items():
            notice._record_outcome(mail, failure_type)
        return super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )
