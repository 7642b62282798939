package io.udpix.engine.transfer;

import io.udpix.engine.event.TransferInfo;

/** An item to send: its metadata (size and SHA-256 computed beforehand) and where its bytes come from. */
public record TransferRequest(TransferInfo info, TransferSource source) {}
