from . import renewal_feed_source_upload
from . import auth_api_key_issue
