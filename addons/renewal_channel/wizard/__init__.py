from . import renewal_feed_source_upload
