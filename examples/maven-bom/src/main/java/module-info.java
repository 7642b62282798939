/** A modular application on udpix: it reads the API module and nothing else of udpix. */
module io.udpix.example {
    requires io.udpix.api;
}
