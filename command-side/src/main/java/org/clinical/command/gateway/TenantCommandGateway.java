package org.clinical.command.gateway;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.messaging.MetaData;
import org.clinical.infra.command.CommandMetadata;
import org.clinical.infra.eventstore.CommandReceipt;
import org.clinical.infra.region.Regions;
import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.tenant.ActiveTenants;
import org.clinical.infra.web.IdempotencyKeyReusedException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Sends a command to its tenant and turns the receipt into the answer. With an {@code Idempotency-Key}, the
 * command's events and the remembered answer are written in one transaction of the tenant's database: a
 * retry gets the first answer back and appends nothing. The key is claimed first (a transaction-scoped
 * advisory lock), so a concurrent duplicate waits for the first request and gets its answer, instead of
 * running the command again and being refused by a rule the first one just satisfied.
 */
public class TenantCommandGateway {

    private final CommandGateway gateway;
    private final ActiveTenants tenants;
    private final Regions regions;
    private final IdempotencyStore idempotency;

    public TenantCommandGateway(CommandBus commandBus, ActiveTenants tenants, Regions regions,
                                IdempotencyStore idempotency) {
        this.gateway = DefaultCommandGateway.builder().commandBus(commandBus).build();
        this.tenants = tenants;
        this.regions = regions;
        this.idempotency = idempotency;
    }

    public CommandResponse send(CommandContext context, Object command,
                                Function<CommandReceipt, CommandResponse> answer) {
        if (context.idempotencyKey() == null) {
            return answer.apply(dispatch(context, command));
        }
        Tenant tenant = tenants.requireKnown(context.tenant());
        var region = regions.region(tenant.region());
        try {
            return new TransactionTemplate(region.transactionManager()).execute(tx -> {
                idempotency.claim(region.jdbc(), tenant.schema(), context.idempotencyKey());
                Optional<CommandResponse> earlier = earlierAnswer(context, tenant);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
                CommandResponse response = answer.apply(dispatch(context, command));
                idempotency.remember(region.jdbc(), tenant.schema(), context.idempotencyKey(),
                        context.requestHash(), response);
                return response;
            });
        } catch (DuplicateKeyException concurrentDuplicate) {
            return earlierAnswer(context, tenant).orElseThrow(() -> concurrentDuplicate);
        }
    }

    private Optional<CommandResponse> earlierAnswer(CommandContext context, Tenant tenant) {
        var region = regions.region(tenant.region());
        return idempotency.find(region.jdbc(), tenant.schema(), context.idempotencyKey()).map(remembered -> {
            if (!remembered.requestHash().equals(context.requestHash())) {
                throw new IdempotencyKeyReusedException(context.idempotencyKey());
            }
            return remembered.response();
        });
    }

    private CommandReceipt dispatch(CommandContext context, Object command) {
        Map<String, Object> metaData = new HashMap<>();
        metaData.put(CommandMetadata.TENANT, context.tenant());
        metaData.put(CommandMetadata.ACTOR, context.actor());
        metaData.put(CommandMetadata.CORRELATION_ID, context.correlationId());
        return gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(MetaData.from(metaData)));
    }
}
