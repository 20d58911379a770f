package io.spindle.lattice.transport;

/** The contract on the in-memory in-process transport. */
class InProcessTransportContractTest extends TransportContract {
    @Override
    protected Transport open() {
        return new InProcessTransport();
    }
}
