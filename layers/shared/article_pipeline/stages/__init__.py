"""One module per stage: read the input, call the pure core, write the output.

The handlers in functions/ parse the event and call these; nothing here knows about
Lambda, and the AWS clients come in as arguments."""
