"""Local tooling: the `article-pipeline` command, playing the AWS side on moto."""
