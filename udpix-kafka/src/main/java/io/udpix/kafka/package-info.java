/**
 * Scale-out to Apache Kafka (docs/KAFKA.md): the receiving side publishes every verified item as one record and
 * confirms it to its sender only after Kafka acknowledged it; {@code udpix consume} reads the records back. Kafka's
 * types stay inside this module: udpix-api knows only {@link io.udpix.api.ItemPublisher}.
 */
package io.udpix.kafka;
