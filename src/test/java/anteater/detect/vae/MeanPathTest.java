package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.variational.BernoulliReconstructionDistribution;
import org.deeplearning4j.nn.conf.layers.variational.GaussianReconstructionDistribution;
import org.deeplearning4j.nn.conf.layers.variational.ReconstructionDistribution;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;

/**
 * When the plain-Java scoring path may stand in for ND4J's: only for a Gaussian VAE whose activations are
 * max(x, a x); any other network keeps ND4J (mutation testing found the refusals unchecked).
 */
class MeanPathTest {

    static MultiLayerNetwork vae(Activation act, Activation pzx, ReconstructionDistribution out) {
        NdRuntime.configure();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(0, new VariationalAutoencoder.Builder().activation(act).encoderLayerSizes(4).decoderLayerSizes(4)
                        .pzxActivationFunction(pzx).reconstructionDistribution(out).nIn(3).nOut(2).build())
                .build());
        net.init();
        return net;
    }

    @Test
    void onlyAGaussianVaeWithPiecewiseLinearActivationsHasAPlainJavaPath() {
        GaussianReconstructionDistribution gaussian = new GaussianReconstructionDistribution(Activation.IDENTITY);
        assertNotNull(MeanPath.of(vae(Activation.LEAKYRELU, Activation.IDENTITY, gaussian)), "what VaeTrainer builds");
        assertNotNull(MeanPath.of(vae(Activation.RELU, Activation.IDENTITY, gaussian)));
        assertNotNull(MeanPath.of(vae(Activation.IDENTITY, Activation.LEAKYRELU, gaussian)));
        assertNull(MeanPath.of(vae(Activation.TANH, Activation.IDENTITY, gaussian)), "tanh encoder");
        assertNull(MeanPath.of(vae(Activation.RELU6, Activation.IDENTITY, gaussian)), "ReLU6: wrong above 6 if taken for ReLU");
        assertNull(MeanPath.of(vae(Activation.LEAKYRELU, Activation.SIGMOID, gaussian)), "sigmoid latent mean");
        assertNull(MeanPath.of(vae(Activation.LEAKYRELU, Activation.IDENTITY, new GaussianReconstructionDistribution(Activation.TANH))),
                "a squashed reconstruction mean");
        assertNull(MeanPath.of(vae(Activation.LEAKYRELU, Activation.IDENTITY, new BernoulliReconstructionDistribution(Activation.SIGMOID))),
                "not Gaussian");
        NdRuntime.configure();
        MultiLayerNetwork dense = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(0, new DenseLayer.Builder().nIn(3).nOut(2).build()).build());
        dense.init();
        assertNull(MeanPath.of(dense), "not a VAE");
    }

    @Test
    void theSlopeOfAnActivationIsItsNegativePartsOrNoneForTheIdentity() {
        assertEquals(0.0, MeanPath.slopeOf(Activation.RELU.getActivationFunction()), 0);
        assertEquals(0.01, MeanPath.slopeOf(Activation.LEAKYRELU.getActivationFunction()), 1e-12);
        assertEquals(Double.NaN, MeanPath.slopeOf(Activation.IDENTITY.getActivationFunction()));
        assertEquals(Double.POSITIVE_INFINITY, MeanPath.slopeOf(Activation.ELU.getActivationFunction()), "curved below 0");
        assertEquals(Double.POSITIVE_INFINITY, MeanPath.slopeOf(Activation.SIGMOID.getActivationFunction()), "not 0 at 0");
        assertEquals(Double.POSITIVE_INFINITY, MeanPath.slopeOf(Activation.RELU6.getActivationFunction()), "capped at 6 (ReLU between -3 and 2: it passed for ReLU before)");
        assertEquals(Double.POSITIVE_INFINITY, MeanPath.slopeOf(Activation.SOFTPLUS.getActivationFunction()));
        assertEquals(Double.POSITIVE_INFINITY, MeanPath.slopeOf(Activation.HARDTANH.getActivationFunction()));
        assertEquals(Double.POSITIVE_INFINITY, MeanPath.slopeOf(null));
    }
}
