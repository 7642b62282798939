/** A modular application on udpix: it reads the API module and nothing else of udpix. */
module io.udpix.example {
    requires io.udpix.api;
    // udpix-api's Jackson is optional ("requires static"): an application that sends Java objects as JSON
    // (Item.json) requires it, which also puts it in the module graph for udpix-api.
    requires com.fasterxml.jackson.databind;
}
