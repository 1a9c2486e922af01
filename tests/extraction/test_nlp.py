import pytest

from article_pipeline.extraction import ModelNotFoundError, load_nlp, model_info


def test_pipeline_shape(nlp):
    assert nlp.pipe_names == ["ner", "article_sentences", "article_gazetteer", "article_figures", "article_entity_labels"]
    assert not {"parser", "lemmatizer", "senter"} & set(nlp.component_names)  # excluded
    assert set(nlp.disabled) == {"tok2vec", "tagger", "attribute_ruler"}  # tag around figures only


def test_model_info(nlp):
    name, version = model_info(nlp)
    assert name.startswith("en_core_web_sm") and version == "3.8.0"


def test_missing_models_are_named():
    with pytest.raises(ModelNotFoundError, match="no_such_model_a, no_such_model_b"):
        load_nlp(["no_such_model_a", "no_such_model_b"])
