package org.clinical.infra.eventstore;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/** Answers every command with a {@link CommandReceipt} of what it appended, filled as its events are stored. */
public class ReceiptInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain)
            throws Exception {
        CommandReceipt receipt = CommandReceipt.startFor(unitOfWork);
        chain.proceed();
        return receipt;
    }
}
