package io.udpix.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks at start, before any item is taken, that a broker answers and the topic exists, so {@code udpix serve}
 * fails at once with the fix instead of refusing every item later. Uses the same connection properties (TLS,
 * SASL) as the producer.
 */
final class KafkaTopicCheck {
    /** How long the brokers get to answer at start. */
    static final long TIMEOUT_MS = 10_000;

    private KafkaTopicCheck() {
    }

    static void check(KafkaSettings settings) throws KafkaStartException {
        Map<String, Object> config = new HashMap<>();
        // Only the connection's properties: producer ones would each log "not a known config".
        settings.extraProperties().forEach((name, value) -> {
            if (name.startsWith("security.") || name.startsWith("ssl.") || name.startsWith("sasl.")
                    || name.startsWith("client.dns.") || name.equals("client.id")) {
                config.put(name, value);
            }
        });
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
        try (Admin admin = Admin.create(config)) {
            admin.describeTopics(List.of(settings.topic())).allTopicNames().get(TIMEOUT_MS + 1_000,
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UnknownTopicOrPartitionException) {
                throw new KafkaStartException("Kafka topic '" + settings.topic() + "' does not exist on "
                        + settings.bootstrapServers() + "; create it (kafka-topics.sh --create --topic "
                        + settings.topic() + " --bootstrap-server " + settings.bootstrapServers()
                        + ") or name another with --kafka-topic", cause);
            }
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(settings, cause);
            }
            throw new KafkaStartException("Kafka at " + settings.bootstrapServers() + " refused to describe topic '"
                    + settings.topic() + "': " + cause.getMessage() + "; check --kafka-config (security, ACLs)",
                    cause);
        } catch (TimeoutException e) {
            throw unreachable(settings, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaStartException("interrupted while checking Kafka at " + settings.bootstrapServers(), e);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new KafkaStartException("cannot use Kafka at " + settings.bootstrapServers() + ": "
                    + e.getMessage() + "; check --kafka (host:port,...) and --kafka-config", e);
        }
    }

    private static KafkaStartException unreachable(KafkaSettings settings, Throwable cause) {
        return new KafkaStartException("no Kafka broker answered at " + settings.bootstrapServers() + " within "
                + TIMEOUT_MS / 1000 + " s; is Kafka running there? Check --kafka (host:port,...) and, for TLS or "
                + "SASL, --kafka-config", cause);
    }
}
