from odoo import models

from ..tools import links


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _prepare_outgoing_list(
        self, mail_server=False, recipients_follower_status=None
    ):
        """A refresh campaign's mail carries its customer's renewal link:
        issued now, for the recipient, in place of the body's placeholder
        (the way mass mailing puts each recipient's unsubscribe link). Test
        mails keep the placeholder: they go to whoever tests the mailing."""
        email_list = super()._prepare_outgoing_list(
            mail_server=mail_server,
            recipients_follower_status=recipients_follower_status,
        )
        if (
            self.model != "renewal.refresh.target"
            or not self.res_id
            or not self.mailing_id
            or self.env.context.get("mailing_test_mail")
            or not any(links.has_placeholder(values["body"]) for values in email_list)
        ):
            return email_list
        target = self.env["renewal.refresh.target"].sudo().browse(self.res_id).exists()
        if not target:
            return email_list
        _link, url = (
            self.env["renewal.portal.link"]
            .sudo()
            .with_company(target.company_id)
            ._issue(target.partner_id)
        )
        for values in email_list:
            values["body"] = links.replace_placeholder(values["body"], url)
        return email_list
